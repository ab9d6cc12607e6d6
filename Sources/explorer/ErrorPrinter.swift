import ArgumentParser
import Foundation
import Terminal

/// The one place `explorer` writes errors, warnings and notes, swift-argument-parser's own
/// messages (usage errors, help, version) included. Every line passes through `Sanitizer` here,
/// so a model name, a path, a config field or a token taken from a file or the command line can
/// never carry an escape sequence, a C1 control or a bidirectional override to the terminal.
/// Call sites pass raw text; none of them sanitises.
enum ErrorPrinter {
    /// Where a message goes: errors to standard error; help and version, asked for, to standard output.
    enum Destination { case standardError, standardOutput }

    /// Writes `message` as one line (a line break inside it shows as `\n`), sanitised.
    static func print(_ message: String, to destination: Destination = .standardError) {
        write(Sanitizer.sanitize(message), to: destination)
    }

    /// Reports the error that ended the command as swift-argument-parser would (its message, then
    /// any help and usage lines; help and version on standard output), and exits with its status:
    /// 0 for help and version, 64 for a usage error, 1 or the `ExitCode` thrown otherwise.
    static func exit(with error: Error, command: ParsableCommand.Type) -> Never {
        let status = command.exitCode(for: error)
        let text = command.fullMessage(for: error)
        if !text.isEmpty {
            write(sanitized(text, message: command.message(for: error)),
                  to: status == .success ? .standardOutput : .standardError)
        }
        Foundation.exit(status.rawValue)
    }

    /// argument-parser's text: the part that echoes what the user typed (`Error: ` and the message)
    /// kept to one line, the lines it composed itself (help, usage) kept as lines.
    static func sanitized(_ text: String, message: String) -> String {
        let first = "Error: " + message
        if !message.isEmpty, text == first || text.hasPrefix(first + "\n") {
            let rest = text.dropFirst(first.count)
            return Sanitizer.sanitize(first) + Sanitizer.sanitize(String(rest), keepingLineBreaks: true)
        }
        return Sanitizer.sanitize(text, keepingLineBreaks: true)
    }

    /// Standard output through `print`'s buffer, so lines keep their order with the command's other
    /// output; standard error unbuffered.
    static func write(_ safe: String, to destination: Destination) {
        switch destination {
        case .standardOutput: Swift.print(safe)
        case .standardError: FileHandle.standardError.write(Data((safe + "\n").utf8))
        }
    }
}

/// Writes one line to standard error, sanitised (see `ErrorPrinter`): every error, warning and note
/// `explorer` prints goes through here.
func printError(_ message: String) {
    ErrorPrinter.print(message)
}
