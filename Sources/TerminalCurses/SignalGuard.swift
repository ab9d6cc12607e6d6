import CTerminalSignals
import Glibc

/// The process's signal handling while a `CursesTerminal` is open (see CTerminalSignals.h):
/// quit signals are recorded for `nextEvent` to notice, crash signals restore the terminal and
/// re-raise.
enum SignalGuard {
    /// Remembers the terminal's current modes for a crash to restore, and installs the handlers.
    /// Quit signals that are ignored (as under `nohup`) stay ignored.
    static func install(input: Int32, output: Int32) { te_sig_install(input, output) }

    /// The bytes a crash handler writes after restoring the modes: leave the alternate screen,
    /// show the cursor, stop mouse and paste reporting.
    static func setRestoreSequence(_ sequence: String) {
        sequence.withCString { te_sig_set_restore_bytes($0, strlen($0)) }
    }

    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT, once one has arrived.
    static var quitSignal: Int32? {
        let signal = te_sig_quit_signal()
        return signal == 0 ? nil : signal
    }

    /// Puts back the handlers that were there before `install`.
    static func uninstall() { te_sig_uninstall() }
}
