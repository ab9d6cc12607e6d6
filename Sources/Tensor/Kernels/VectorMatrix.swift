/// Products of one row by a matrix (`m = 1`): what every generation step with a KV cache runs, its
/// single new token through each weight matrix. A blocked gemm packs the weights into panels before
/// it multiplies, which pays off over many rows; over one row it triples the memory traffic of a
/// product that is bound by reading the weights once. These read each weight once, with SIMD lanes
/// across the columns (or, transposed, along each row), the columns split between the cores.

/// `c[n] = a[k] · B[k×n]` (+ c when `accumulate`); B has row stride `ldb`.
func vectorTimesMatrix(
    n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
) {
    // Panels of 32 columns: their sums stay in registers while every row of B streams past, so
    // each weight is loaded once and c is written once.
    let panel = 32
    let panels = (n + panel - 1) / panel
    let parts = Parallel.chunks(panels, parts: vectorThreads(n: n, k: k, limit: threads))
    let work = { (part: Int) in
        for panelIndex in parts[part] {
            let start = panelIndex * panel
            let width = min(panel, n - start)
            let out = c + start
            if width == panel {
                var low = SIMD16<Float>(repeating: 0), high = SIMD16<Float>(repeating: 0)
                var weights = UnsafeRawPointer(b + start)
                for row in 0..<k {
                    let x = SIMD16<Float>(repeating: a[row])
                    low += x * weights.loadUnaligned(as: SIMD16<Float>.self)
                    high += x * weights.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                    weights += ldb * MemoryLayout<Float>.stride
                }
                let target = UnsafeMutableRawPointer(out)
                if accumulate {
                    low += target.loadUnaligned(as: SIMD16<Float>.self)
                    high += target.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                }
                target.storeBytes(of: low, as: SIMD16<Float>.self)
                target.storeBytes(of: high, toByteOffset: 64, as: SIMD16<Float>.self)
            } else {
                for j in 0..<width {
                    var sum: Float = 0
                    for row in 0..<k { sum += a[row] * b[row * ldb + start + j] }
                    out[j] = accumulate ? out[j] + sum : sum
                }
            }
        }
    }
    if parts.count == 1 { work(0) } else { Parallel.forEach(parts.count, work) }
}

/// Threads worth using for a one-row product of `k×n` weights, at most `limit`: reading the weights
/// is the cost, so the split pays from 2^17 multiply-adds (half a megabyte of weights).
func vectorThreads(n: Int, k: Int, limit: Int) -> Int {
    n * k >= 1 << 17 ? max(1, min(limit, Parallel.threads)) : 1
}

/// `c[n] = a[k] · Bᵀ` (+ c when `accumulate`) where `b` holds B as `n` rows of `k` floats (row stride
/// `ldb`): one dot product per row of `b`.
func vectorTimesTransposedMatrix(
    n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
) {
    let parts = Parallel.chunks(n, parts: vectorThreads(n: n, k: k, limit: threads))
    let vectors = k / 16
    let work = { (part: Int) in
        for j in parts[part] {
            let row = b + j * ldb
            var sums = SIMD16<Float>(repeating: 0)
            for v in 0..<vectors {
                sums += UnsafeRawPointer(a + v * 16).loadUnaligned(as: SIMD16<Float>.self)
                    * UnsafeRawPointer(row + v * 16).loadUnaligned(as: SIMD16<Float>.self)
            }
            var total = sums.sum()
            for i in (vectors * 16)..<k { total += a[i] * row[i] }
            c[j] = accumulate ? c[j] + total : total
        }
    }
    if parts.count == 1 { work(0) } else { Parallel.forEach(parts.count, work) }
}
