import ArgumentParser
import Terminal
import TerminalCurses

/// `explorer keys`: a diagnostic screen for keys, mouse, paste and colours that misbehave (over SSH,
/// in an unusual terminal): it shows what the program receives and how it paints.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what your terminal sends (keys, mouse, paste, resizes) and how colours look.",
        discussion: """
            Opens a screen that lists every event as the program understands it, with the terminal's \
            size, TERM, colours and sample characters. Press q or Esc to quit. Exits with 128 plus the \
            signal's number when a signal (Ctrl-C, SIGTERM, a hang-up) ends it.
            """)

    func run() throws {
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal()
        } catch {
            printError("Error: \(error)")
            throw ExitCode.failure
        }
        let facts = TerminalFacts(term: terminal.terminalName, description: terminal.terminalDescription,
                                  colors: terminal.colorCount, colorPairs: terminal.colorPairCount,
                                  encoding: terminal.characterEncoding)
        let initial = KeysState(facts: facts, width: terminal.width, height: terminal.height)
        terminal.run(initial: initial, update: { $0.update($1) }, view: keysScreen)
        terminal.shutdown()
        if let signal = terminal.interruptingSignal { throw ExitCode(128 + signal) }
    }
}
