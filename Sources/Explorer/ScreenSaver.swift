import Figures
import Foundation
import Terminal

/// Saves a screen for a slide or a bug report: the canvas as SVG (same grid, characters and
/// colours) and as text, side by side as `explorer-YYYYMMDD-HHMMSS.svg` / `.txt` (local time). When
/// either name is taken, `-2`, `-3`, … is added: an existing file is never replaced.
public enum ScreenSaver {
    /// The two files written, full paths.
    public struct Saved: Equatable, Sendable {
        public var svg: String
        public var text: String
    }

    /// Writes both files into `folder`; throws a one-line reason when it cannot.
    public static func save(_ canvas: Canvas, lightBackground: Bool, title: String, folder: String, date: Date,
                            timeZone: TimeZone = .current) throws -> Saved {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let s = String(n ?? 0); return s.count < 2 ? "0" + s : s }
        let stem = "explorer-\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))"
        let svg = Data(ScreenSVG.render(canvas, lightBackground: lightBackground, title: title).utf8)
        let text = Data(plainText(canvas).utf8)
        let files = FileManager.default
        for attempt in 1...1000 {
            let base = (folder as NSString).appendingPathComponent(attempt == 1 ? stem : "\(stem)-\(attempt)")
            let saved = Saved(svg: base + ".svg", text: base + ".txt")
            if files.fileExists(atPath: saved.svg) || files.fileExists(atPath: saved.text) { continue }
            do {
                try svg.write(to: URL(fileURLWithPath: saved.svg), options: .withoutOverwriting)
            } catch {
                if files.fileExists(atPath: saved.svg) { continue }  // taken meanwhile
                throw SaveFailure(reason: "cannot save the screen in \(folder): " + describe(error))
            }
            do {
                try text.write(to: URL(fileURLWithPath: saved.text), options: .withoutOverwriting)
            } catch {
                try? files.removeItem(atPath: saved.svg)
                if files.fileExists(atPath: saved.text) { continue }
                throw SaveFailure(reason: "cannot save the screen in \(folder): " + describe(error))
            }
            return saved
        }
        throw SaveFailure(reason: "cannot save the screen in \(folder): every name for \(stem) is taken")
    }

    /// The screen's characters, one line per row, trailing spaces dropped.
    public static func plainText(_ canvas: Canvas) -> String {
        canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = Substring(line)
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }.joined(separator: "\n") + "\n"
    }

    struct SaveFailure: Error, CustomStringConvertible { var reason: String; var description: String { reason } }

    static func describe(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain, let text = strerror(Int32(code)) {
            return String(cString: text)
        }
        return (error as NSError).localizedDescription
    }
}

extension EffectPerformer {
    /// Draws `state` and saves it (see `ScreenSaver`); the answer says where, or why not.
    func saveScreen(_ state: AppState) -> Message {
        let canvas = view(state, store: store).canvas
        do {
            let saved = try ScreenSaver.save(canvas, lightBackground: state.theme.lightBackground,
                                             title: "Transformer Explorer: \(state.screen.rawValue)",
                                             folder: environment.screenFolder, date: environment.now())
            let name = ((saved.svg as NSString).lastPathComponent as NSString).deletingPathExtension
            return .screenSaved("saved \(name).svg and .txt in \(environment.screenFolder)")
        } catch {
            return .screenSaveFailed("\(error)")
        }
    }
}
