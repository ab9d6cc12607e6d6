import Foundation
import Testing
@testable import Transformer

/// RoPE's scaled frequencies against the values `transformers` computes (its `ROPE_INIT_FUNCTIONS`
/// on a config with head size 16 and θ = 10000, printed to 9 digits), and the config's round trip.
@Suite struct RopeScalingTests {
    static func expectClose(_ got: [Double], _ want: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        for (g, w) in zip(got, want) {
            #expect(abs(g - w) <= 1e-7 * w, "\(got) vs \(want)", sourceLocation: sourceLocation)
        }
    }

    @Test func defaultFrequencies() {
        let rope = RotaryEmbedding(headSize: 16, theta: 10000)
        Self.expectClose(rope.inverseFrequencies, (0..<8).map { pow(10000, -Double($0) / 8) })
        #expect(rope.angle(position: 3, pair: 1) == 3 * rope.inverseFrequencies[1])
    }

    @Test func linearDividesEveryFrequency() {
        let rope = RotaryEmbedding(headSize: 16, theta: 10000, scaling: .linear(factor: 4))
        Self.expectClose(rope.inverseFrequencies, [0.25, 0.079056941, 0.0250000004, 0.00790569466, 0.00249999994,
                                                   0.000790569466, 0.000250000012, 7.90569466e-05])
    }

    /// Original context 64: wavelengths below 16 kept (pair 0), 16 to 64 blended (pairs 1, 2), above
    /// 64 slowed 8 times.
    @Test func llama3KeepsBlendsAndSlows() {
        let scaling = RopeScaling.llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 64)
        let rope = RotaryEmbedding(headSize: 16, theta: 10000, scaling: scaling)
        Self.expectClose(rope.inverseFrequencies, [1.0, 0.244384587, 0.0130422562, 0.00395284733, 0.00124999997,
                                                   0.000395284733, 0.000125000006, 3.95284733e-05])
    }

    @Test func configRoundTripsAndChecks() throws {
        let json = #"{"rope_type":"llama3","factor":8,"low_freq_factor":1,"high_freq_factor":4,"original_max_position_embeddings":8192}"#
        let scaling = try JSONDecoder().decode(RopeScaling.self, from: Data(json.utf8))
        #expect(scaling == .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8192))
        #expect(try JSONDecoder().decode(RopeScaling.self, from: JSONEncoder().encode(scaling)) == scaling)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RopeScaling.self, from: Data(#"{"rope_type":"yarn","factor":2}"#.utf8))
        }
        #expect(RopeScaling.linear(factor: 0).problem != nil)
        #expect(RopeScaling.llama3(factor: 8, lowFrequencyFactor: 4, highFrequencyFactor: 1, originalMaxPositions: 64).problem != nil)
        #expect(RopeScaling.linear(factor: 2).problem == nil)
    }
}
