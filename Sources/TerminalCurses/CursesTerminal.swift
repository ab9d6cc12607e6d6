import CNcurses
import Glibc
import Terminal

/// The real terminal, painted and read through ncurses: it paints `Canvas` frames (only the cells
/// that changed) and reads keys, mouse, bracketed paste and resizes as `Event`s.
///
/// A class because it owns the terminal: one may be open at a time, and closing it (`shutdown()`,
/// also run by `deinit`) puts the terminal back as the shell had it. Use it from one thread.
///
/// How the terminal is restored on each way out:
/// - normal quit: the app calls `shutdown()` (or drops the object): endwin, bracketed paste and
///   mouse reporting off, cursor shown, signal handlers put back;
/// - SIGINT (Ctrl-C), SIGTERM, SIGHUP (a dropped SSH session), SIGQUIT (Ctrl-\\): the handler only
///   records the signal; `nextEvent` then returns `.key(.ctrl("c"))` within about 100 ms and
///   `interruptingSignal` says which signal it was, so the app quits through `shutdown()`. A second
///   such signal while the first is unanswered restores the terminal at once and dies of it;
/// - SIGTSTP (Ctrl-Z) and SIGCONT: ncurses' own handling (cbreak, not raw, keeps them working);
/// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP: a C handler (CTerminalSignals) restores
///   the shell's terminal modes, writes the sequences that leave the alternate screen, show the
///   cursor and stop mouse and paste reporting, lets the previous handler run (the Swift runtime's
///   backtrace), then re-raises the signal with the default action, so the process dies of it.
public final class CursesTerminal {
    /// Why the terminal could not be opened, as one line.
    public struct StartError: Error, CustomStringConvertible, Sendable {
        public let reason: String
        public var description: String { "\(reason); for plain-text output, try `explorer inspect`" }
    }

    /// `TERM`: the kind of terminal, as terminfo names it.
    public let terminalName: String
    /// terminfo's longer description of it.
    public let terminalDescription: String
    /// Colours the terminal shows (`COLORS`): 0 without colour, 8, 16, 256, or 2^24 for direct colour.
    public let colorCount: Int
    /// Colour pairs it allows (`COLOR_PAIRS`).
    public let colorPairCount: Int
    /// Whether the terminal's own foreground and background can be used (`use_default_colors`).
    public let hasDefaultColors: Bool
    /// The character encoding of the locale in force (`UTF-8` for wide characters to work).
    public let characterEncoding: String
    /// The screen's size in cells, as of the last resize.
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// The signal that asked the program to quit (SIGINT, SIGTERM, SIGHUP, SIGQUIT), once
    /// `nextEvent` has seen it; SIGHUP also when the terminal stopped giving input (it went away).
    public internal(set) var interruptingSignal: Int32?
    /// Whether a signal or a lost terminal asked the program to quit.
    public var interrupted: Bool { interruptingSignal != nil }

    private let screen: OpaquePointer
    let mapColor: ColorMapper
    let mouse = MouseMasks.ncurses
    var pairs: ColorPairs
    var pairByStyle: [Style: Int32] = [:]
    var lastPresented: Canvas?
    var needsFullRepaint = true
    var cursor: (x: Int, y: Int)?
    var cursorShown = false
    var decoder = InputDecoder()
    var queued: [Event] = []
    private(set) var isShutDown = false

    /// One terminal at a time; touched only on the thread that opens and closes terminals.
    nonisolated(unsafe) private static var isOpen = false

    /// Takes over the terminal on standard input and output.
    /// - Parameter mapColor: how `Color`s become the terminal's colour numbers; nil for the built-in mapping.
    /// - Throws: `StartError` when either is not a terminal, `TERM` is unset or names no terminal
    ///   this system knows, the terminal cannot move its cursor, or a terminal is already open.
    public init(mapColor: ColorMapper? = nil) throws {
        guard !Self.isOpen else { throw StartError(reason: "a terminal screen is already open in this program") }
        guard isatty(STDIN_FILENO) == 1 else { throw StartError(reason: "standard input is not a terminal") }
        guard isatty(STDOUT_FILENO) == 1 else {
            throw StartError(reason: "standard output is not a terminal (it goes to a file or a pipe)")
        }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw StartError(reason: "TERM is not set, so the kind of terminal is unknown")
        }
        characterEncoding = Self.useLocaleWithWideCharacters()
        SignalGuard.install(input: STDIN_FILENO, output: STDOUT_FILENO)
        guard let screen = te_newterm(nil) else {
            SignalGuard.uninstall()
            throw StartError(reason: "TERM=\(Sanitizer.sanitize(term)) names no terminal this system has a description of (terminfo)")
        }
        self.screen = screen
        guard Self.capability("cup") != nil else {
            endwin()
            delscreen(screen)
            SignalGuard.uninstall()
            throw StartError(reason: "TERM=\(Sanitizer.sanitize(term)) cannot move its cursor, which this screen needs")
        }
        terminalName = String(cString: termname())
        terminalDescription = String(cString: longname())
        self.mapColor = mapColor ?? BasicColorMapping.map

        cbreak()   // not raw(): Ctrl-C, Ctrl-Z and Ctrl-\ still send their signals
        noecho()
        nonl()
        intrflush(te_stdscr(), false)
        keypad(te_stdscr(), true)
        meta(te_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        Self.disableFlowControl()

        if has_colors() {
            start_color()
            hasDefaultColors = use_default_colors() == OK
            colorCount = Int(te_colors())
            colorPairCount = Int(te_color_pairs())
        } else {
            hasDefaultColors = true
            colorCount = 0
            colorPairCount = 0
        }
        pairs = ColorPairs(limit: colorPairCount)

        mousemask(mouse.all, nil)
        mouseinterval(0)
        define_key(KeyCodes.pasteBeginSequence, KeyCodes.pasteBegin)
        define_key(KeyCodes.pasteEndSequence, KeyCodes.pasteEnd)

        var rows: Int32 = 0, columns: Int32 = 0
        te_screen_size(&rows, &columns)
        width = Int(columns)
        height = Int(rows)
        Self.isOpen = true

        SignalGuard.setRestoreSequence(Self.restoreSequence())
        werase(te_stdscr())
        wnoutrefresh(te_stdscr())
        doupdate()
        Self.write(Self.bracketedPasteOn)
    }

    deinit { shutdown() }

    /// Gives the terminal back as it was: leaves curses mode (the shell's modes, the main screen),
    /// turns bracketed paste and mouse reporting off, shows the cursor, puts back the signal
    /// handlers. Safe to call more than once; the terminal does nothing afterwards.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        mousemask(0, nil)
        curs_set(1)
        endwin()
        Self.write(Self.bracketedPasteOff + Self.mouseReportingOff + Self.showCursorSequence)
        delscreen(screen)
        SignalGuard.uninstall()
        Self.isOpen = false
    }

    // MARK: Set-up helpers

    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"
    /// xterm's mouse modes (click, drag, motion, SGR coordinates), all off.
    static let mouseReportingOff = "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l"
    static let showCursorSequence = "\u{1B}[?25h"

    /// Sets the locale's character handling from the environment (LC_CTYPE only: wide characters
    /// need it, while LC_NUMERIC could turn the decimal point of numbers formatted by C into a
    /// comma); if its characters are not UTF-8 (LANG unset, as in many SSH sessions), tries
    /// C.UTF-8 so that wide characters still work. Returns the encoding in force.
    static func useLocaleWithWideCharacters() -> String {
        setlocale(LC_CTYPE, "")
        var encoding = String(cString: nl_langinfo(nl_item(CODESET)))
        if encoding != "UTF-8", setlocale(LC_CTYPE, "C.UTF-8") != nil {
            encoding = String(cString: nl_langinfo(nl_item(CODESET)))
        }
        return encoding
    }

    /// Turns off XON/XOFF flow control (Ctrl-S would freeze the screen) and the extended input
    /// processing (Ctrl-V would quote the next key), as raw mode would, but keeps the signals;
    /// then tells curses this is the program's mode, to restore after a suspend.
    static func disableFlowControl() {
        var modes = termios()
        guard tcgetattr(STDIN_FILENO, &modes) == 0 else { return }
        modes.c_iflag &= ~tcflag_t(IXON)
        modes.c_lflag &= ~tcflag_t(IEXTEN)
        tcsetattr(STDIN_FILENO, TCSANOW, &modes)
        def_prog_mode()
    }

    /// A terminfo string capability of the current terminal, or nil when it has none.
    static func capability(_ name: String) -> String? {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return nil }
        return String(cString: value)
    }

    /// What a crash handler writes to put the screen back: reset attributes, normal cursor,
    /// keypad off, leave the alternate screen (terminfo's strings, delays removed), then mouse and
    /// paste reporting off and the cursor shown.
    static func restoreSequence() -> String {
        let fromTerminfo = ["sgr0", "cnorm", "rmkx", "rmcup"].compactMap(capability).map(withoutDelays).joined()
        return fromTerminfo + mouseReportingOff + bracketedPasteOff + showCursorSequence
    }

    /// A terminfo string without its `$<…>` padding, which only tputs understands.
    static func withoutDelays(_ string: String) -> String {
        let characters = Array(string)
        var out = "", i = 0
        while i < characters.count {
            if characters[i] == "$", i + 1 < characters.count, characters[i + 1] == "<",
               let close = characters[(i + 2)...].firstIndex(of: ">") {
                i = close + 1
                continue
            }
            out.append(characters[i])
            i += 1
        }
        return out
    }

    /// Writes bytes straight to the terminal (after curses has flushed its own output).
    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { if written < 0 && errno == EINTR { continue }; return }
            bytes = bytes.dropFirst(written)
        }
    }
}
