/// One mistake in a lesson file, at a line: printed `file:line: message`, as compilers do, so an
/// editor can jump to it.
public struct LessonDiagnostic: Error, Sendable, Equatable, Comparable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the mistake is about the file as a whole (it cannot be read).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }

    public static func < (a: LessonDiagnostic, b: LessonDiagnostic) -> Bool {
        (a.file, a.line, a.message) < (b.file, b.line, b.message)
    }
}
