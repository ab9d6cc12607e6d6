import Foundation
import Testing
@testable import Explorer
import Tensor
import Terminal
import Transformer

/// The all-heads screen: key labels, each head's character under its tile, and one query across
/// all heads as bars.
@Suite struct AllHeads {
    /// Self, previous and first-token shares and mean entropy of one head's pattern `[T,T]`, worked
    /// out here from the definitions (not by `HeadCharacter`).
    static func shares(_ pattern: Tensor) -> (selfShare: Double, previous: Double, first: Double, bits: Double) {
        let t = pattern.shape[0], w = pattern.scalars.map(Double.init)
        let diagonal = (0..<t).map { w[$0 * t + $0] }.reduce(0, +) / Double(t)
        let previous = (1..<t).map { w[$0 * t + $0 - 1] }.reduce(0, +) / Double(t - 1)
        let first = (0..<t).map { w[$0 * t] }.reduce(0, +) / Double(t)
        var entropy = 0.0
        for p in w where p > 0 { entropy -= p * log2(p) }
        let bits = entropy / Double(t)
        return (diagonal, previous, first, bits)
    }

    @Test func tilesShowKeyLabelsAndEachHeadsCharacter() throws {
        let app = try Fixtures.app(screen: .modelGrid)
        let canvas = app.view()
        assertSnapshot(canvas, named: "modelGrid-characters-120x40")
        let lines = canvas.text.split(separator: "\n").map(String.init)
        #expect(lines[4].contains("keys →") && lines[4].contains("0 the  1 animal  2 didn"))
        // Each tile's caption is its head's largest share (two decimals) when at least half, else its entropy.
        for site in app.state.run!.sites {
            let pattern = try #require(app.session.tensor(.pattern, at: site))
            for head in 0..<site.heads {
                let s = Self.shares(pattern.slice(head))
                let top = [("self", s.selfShare), ("prev", s.previous), ("first", s.first)].max { $0.1 < $1.1 }!
                let expected = top.1 >= 0.5 ? "\(top.0) ." + String(Int((top.1 * 100).rounded())).leftPadded(2)
                    : "spread \(NumberFormat.fixed(s.bits, decimals: 1))b"
                #expect(lines.contains { $0.contains(expected) }, "\(site.name) head \(head): \(expected)")
            }
        }
    }

    @Test func oneQueryAcrossAllHeadsAsBars() throws {
        let app = try Fixtures.app(screen: .modelGrid)
        app.press(.character("b"))
        #expect(app.state.grid.queryBars)
        app.press(.character(","))  // query 11, "too"
        let canvas = app.view()
        assertSnapshot(canvas, named: "modelGrid-one-query-120x40")
        let text = canvas.text
        #expect(text.contains("one query across all heads: too (query 11)"))
        // Every head's weights of query 11 over the 13 keys, to two decimals, beside its key's label.
        let lines = text.split(separator: "\n").map(String.init)
        for site in app.state.run!.sites {
            let pattern = try #require(app.session.tensor(.pattern, at: site))
            let header = try #require(lines.firstIndex { $0.hasPrefix(" " + GridScreen.shortName(site)) })
            for key in 0..<13 {
                let line = lines[header + 1 + key]
                let shown = line.split(separator: " ").compactMap { Double($0) }
                let expected = (0..<site.heads).map { Double(pattern.slice($0).scalars[11 * 13 + key]) }
                #expect(shown.count == site.heads, "\(line)")
                for (a, b) in zip(shown, expected) { #expect(abs(a - b) <= 0.005, "\(site.name) key \(key): \(a) vs \(b)") }
            }
        }
        app.press(.character("b"))
        #expect(!app.view().text.contains("one query across all heads"))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
