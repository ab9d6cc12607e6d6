#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A BLAS library's single-precision product (`cblas_sgemm`), loaded at run time with `dlopen` so
/// the gemm benchmark can time it beside the project's own kernel. Nothing links it: the build,
/// the tests and the student archive need no BLAS, and a machine without one gets a `LoadError`.
///
/// The library is opened `RTLD_LOCAL`, so two libraries that both export `cblas_sgemm` (OpenBLAS
/// and BLIS) can be loaded in one process, each call going to its own. It is never closed: its
/// worker threads outlive any call.
public struct BLASLibrary: @unchecked Sendable {
    /// What one library is called, where to look for it and how to set its thread count.
    public struct Kind: Sendable, CustomStringConvertible {
        /// "OpenBLAS", "BLIS".
        public var name: String
        /// File names tried in order with `dlopen` (the loader's search path applies).
        public var fileNames: [String]
        /// The function that sets how many threads later products use.
        public var threadSetter: String
        /// Whether `threadSetter` takes a 64-bit count (BLIS's `dim_t`) rather than a C `int`.
        public var threadSetterTakesInt64: Bool
        /// Functions returning a C string that says which build and core run, joined with ", ".
        public var infoFunctions: [String]

        public init(name: String, fileNames: [String], threadSetter: String, threadSetterTakesInt64: Bool,
                    infoFunctions: [String] = []) {
            self.name = name
            self.fileNames = fileNames
            self.threadSetter = threadSetter
            self.threadSetterTakesInt64 = threadSetterTakesInt64
            self.infoFunctions = infoFunctions
        }

        public var description: String { name }

        /// Debian's `libopenblas0-pthread` (`libopenblas.so.0`, 32-bit integers).
        public static let openBLAS = Kind(
            name: "OpenBLAS", fileNames: ["libopenblas.so.0", "libopenblas.so"],
            threadSetter: "openblas_set_num_threads", threadSetterTakesInt64: false,
            infoFunctions: ["openblas_get_config", "openblas_get_corename"])

        /// Debian's `libblis4-pthread` (`libblis.so.4`; its BLAS interface uses 32-bit integers).
        public static let blis = Kind(
            name: "BLIS", fileNames: ["libblis.so.4", "libblis.so"],
            threadSetter: "bli_thread_set_num_threads", threadSetterTakesInt64: true,
            infoFunctions: ["bli_info_get_version_str"])
    }

    /// Why a library could not be used.
    public enum LoadError: Error, Equatable, CustomStringConvertible {
        /// No file of `tried` could be opened; `reason` is the loader's message for the first.
        case notFound(library: String, tried: [String], reason: String)
        /// `file` opened but lacks `symbol`.
        case missingSymbol(library: String, file: String, symbol: String)

        public var description: String {
            switch self {
            case let .notFound(library, tried, reason):
                "\(library): not found (tried \(tried.joined(separator: ", ")): \(reason))"
            case let .missingSymbol(library, file, symbol):
                "\(library): \(file) has no \(symbol)"
            }
        }
    }

    /// `cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)` with
    /// 32-bit integers (the LP64 interface both Debian packages export).
    private typealias CblasSgemm = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float,
        UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
    private typealias SetThreads32 = @convention(c) (Int32) -> Void
    private typealias SetThreads64 = @convention(c) (Int64) -> Void
    private typealias InfoString = @convention(c) () -> UnsafePointer<CChar>?

    /// CBLAS's enumerations.
    private static let rowMajor: Int32 = 101, noTranspose: Int32 = 111

    /// Which library this is.
    public let kind: Kind
    /// The file name that opened.
    public let file: String
    /// What the library says of itself (e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen
    /// MAX_THREADS=64, Zen"); empty when it has no such functions.
    public let info: String
    private let sgemm: CblasSgemm
    private let setThreads32: SetThreads32?
    private let setThreads64: SetThreads64?

    /// Opens the first of `kind.fileNames` that loads and resolves `cblas_sgemm` and the thread
    /// setter in it.
    public static func load(_ kind: Kind) -> Result<BLASLibrary, LoadError> {
        var firstReason: String?
        for file in kind.fileNames {
            guard let handle = dlopen(file, RTLD_NOW | RTLD_LOCAL) else {
                if firstReason == nil { firstReason = dlerror().map { String(cString: $0) } ?? "dlopen failed" }
                continue
            }
            guard let sgemm = dlsym(handle, "cblas_sgemm") else {
                return .failure(.missingSymbol(library: kind.name, file: file, symbol: "cblas_sgemm"))
            }
            guard let setter = dlsym(handle, kind.threadSetter) else {
                return .failure(.missingSymbol(library: kind.name, file: file, symbol: kind.threadSetter))
            }
            let info = kind.infoFunctions.compactMap { name -> String? in
                guard let symbol = dlsym(handle, name),
                      let text = unsafeBitCast(symbol, to: InfoString.self)() else { return nil }
                return String(cString: text).trimmingSpaces
            }.filter { !$0.isEmpty }.joined(separator: ", ")
            return .success(BLASLibrary(
                kind: kind, file: file, info: info, sgemm: unsafeBitCast(sgemm, to: CblasSgemm.self),
                setThreads32: kind.threadSetterTakesInt64 ? nil : unsafeBitCast(setter, to: SetThreads32.self),
                setThreads64: kind.threadSetterTakesInt64 ? unsafeBitCast(setter, to: SetThreads64.self) : nil))
        }
        return .failure(.notFound(library: kind.name, tried: kind.fileNames, reason: firstReason ?? "no file names given"))
    }

    /// Sets how many threads the library's later products use (process-wide, for this library).
    public func setThreads(_ count: Int) {
        precondition(count >= 1, "a BLAS needs at least one thread")
        if let setThreads32 { setThreads32(Int32(count)) }
        if let setThreads64 { setThreads64(Int64(count)) }
    }

    /// `C = A · B` for row-major `A [m, k]`, `B [k, n]`, `C [m, n]` (rows contiguous), on the
    /// threads `setThreads` last set.
    public func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                         c: UnsafeMutablePointer<Float>) {
        precondition(m > 0 && n > 0 && k > 0 && max(m, n, k) <= Int(Int32.max), "BLAS product of \(m)×\(k)×\(n)")
        sgemm(Self.rowMajor, Self.noTranspose, Self.noTranspose, Int32(m), Int32(n), Int32(k), 1,
              a, Int32(k), b, Int32(n), 0, c, Int32(n))
    }
}

private extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
