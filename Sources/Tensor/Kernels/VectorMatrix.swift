/// Products of one row by a matrix (`m = 1`): what every generation step with a KV cache runs, its
/// single new token through each weight matrix. A blocked gemm packs the weights into panels before
/// it multiplies, which pays off over many rows; over one row it triples the memory traffic of a
/// product that is bound by reading the weights once. These read each weight once, in order, with
/// SIMD lanes across the columns (or, transposed, along each row), the columns (rows) split between
/// the cores.

/// `c[n] = a[k] · B[k×n]` (+ c when `accumulate`); B has row stride `ldb`.
func vectorTimesMatrix(
    n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
) {
    // Column blocks of 256 floats: a block of c stays in registers' reach (L1) while every row of B
    // streams past it.
    let block = 256
    let blocks = (n + block - 1) / block
    let parts = Parallel.chunks(blocks, parts: threads > 1 && n * k >= 2 * GemmParallelism.minMultiplyAddsPerThread ? min(threads, Parallel.threads) : 1)
    let work = { (part: Int) in
        for blockIndex in parts[part] {
            let start = blockIndex * block
            let width = min(block, n - start)
            let out = c + start
            if !accumulate { out.update(repeating: 0, count: width) }
            let vectors = width / 16
            for row in 0..<k {
                let x = a[row]
                let weights = b + row * ldb + start
                let lane = SIMD16<Float>(repeating: x)
                for v in 0..<vectors {
                    let target = UnsafeMutableRawPointer(out + v * 16)
                    let sum = target.loadUnaligned(as: SIMD16<Float>.self)
                        + lane * UnsafeRawPointer(weights + v * 16).loadUnaligned(as: SIMD16<Float>.self)
                    target.storeBytes(of: sum, as: SIMD16<Float>.self)
                }
                for j in (vectors * 16)..<width { out[j] += x * weights[j] }
            }
        }
    }
    if parts.count == 1 { work(0) } else { Parallel.forEach(parts.count, work) }
}

/// `c[n] = a[k] · Bᵀ` (+ c when `accumulate`) where `b` holds B as `n` rows of `k` floats (row stride
/// `ldb`): one dot product per row of `b`.
func vectorTimesTransposedMatrix(
    n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int
) {
    let parts = Parallel.chunks(n, parts: threads > 1 && n * k >= 2 * GemmParallelism.minMultiplyAddsPerThread ? min(threads, Parallel.threads) : 1)
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
