import Foundation
import Tensor
import Testing

/// `EXPLORER_KERNEL` forces a kernel tier for a whole run, and `bench` names the tier that ran
/// (`kernel` in its JSON): every tier this CPU runs, asked for by the name bench prints.
@Suite struct KernelChoiceTests {
    /// A quick `bench --json` (forward figures only) under `EXPLORER_KERNEL=value`.
    static func benchKernel(_ value: String) throws -> (kernel: String, forwardMs: Double) {
        let run = try CommandLine.run(["bench", "--model", "tiny-gpt", "--tokens", "4", "--seconds", "0.01",
                                       "--no-matmul", "--no-ui", "--no-reference", "--no-generation", "--json"],
                                      environment: ["EXPLORER_KERNEL": value])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return (json["kernel"] as? String ?? "", json["forward_ms"] as? Double ?? 0)
    }

    @Test(arguments: GemmKernel.supportedTiers)
    func eachTierThisCPURunsCanBeForced(_ tier: GemmKernel) throws {
        let name = tier.resolvedName
        let (kernel, forwardMs) = try Self.benchKernel(name)
        #expect(kernel == name || kernel.hasPrefix("\(name) (EXPLORER_KERNEL=\(name)"), "\(kernel)")
        #expect(forwardMs > 0)
    }

    /// A tier above the CPU's runs the CPU's best and says so; an unknown name is ignored and named.
    @Test func aTierTheCPULacksOrAnUnknownNameIsExplained() throws {
        let best = GemmKernel.cpuBest.resolvedName
        if !GemmKernel.avx512.isSupported {
            #expect(try Self.benchKernel("avx512").kernel == "\(best) (EXPLORER_KERNEL=avx512: this CPU lacks it)")
        }
        #expect(try Self.benchKernel("avx9").kernel
                == "\(best) (EXPLORER_KERNEL=avx9 not understood: portable, avx2-fma, avx512)")
    }
}
