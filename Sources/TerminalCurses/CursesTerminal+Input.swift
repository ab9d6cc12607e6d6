import CNcurses
import Glibc
import Terminal

extension CursesTerminal {
    /// The next event, or nil when `timeoutMilliseconds` pass without one (nil: wait as long as it takes).
    ///
    /// A quit signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) comes back as `.key(.ctrl("c"))`, within
    /// about 100 ms even while waiting, with `interruptingSignal` set; so does a terminal that
    /// stopped giving input (a closed pseudo-terminal), as SIGHUP. Every call after that returns
    /// the same, so the app's quit path runs.
    public func nextEvent(timeoutMilliseconds: Int? = nil) -> Event? {
        guard !isShutDown else { return nil }
        if !queued.isEmpty { return queued.removeFirst() }
        let clock = ContinuousClock()
        let start = clock.now
        var earlyFailures = 0, reads = 0
        while true {
            if let quit = quitRequest() { return quit }
            var slice = 100
            if let timeout = timeoutMilliseconds {
                let remaining = timeout - Self.milliseconds(clock.now - start)
                if remaining <= 0 && reads > 0 { return nil }   // a timeout of 0 still looks once
                slice = max(0, min(slice, remaining))
            }
            reads += 1
            let before = clock.now
            guard let input = read(waitingMilliseconds: slice) else {
                // A read that fails at once, again and again, has no terminal behind it.
                if slice >= 20 && Self.milliseconds(clock.now - before) < slice / 2 {
                    earlyFailures += 1
                    if earlyFailures >= 20 { interruptingSignal = interruptingSignal ?? SIGHUP }
                } else {
                    earlyFailures = 0
                }
                continue
            }
            earlyFailures = 0
            take(input)
            if !queued.isEmpty { return queued.removeFirst() }
        }
    }

    /// Runs an app: presents `view(state, width, height)`, waits for an event, lets `update` change
    /// the state, and again, until `update` returns false or a quit signal arrives (which `update`
    /// sees first, as `.key(.ctrl("c"))`). Returns the last state; the caller then calls `shutdown()`.
    @discardableResult
    public func run<State>(initial: State, update: (inout State, Event) -> Bool,
                           view: (State, _ width: Int, _ height: Int) -> Canvas) -> State {
        var state = initial
        present(view(state, width, height))
        while !isShutDown {
            guard let event = nextEvent() else { continue }
            let keepGoing = update(&state, event)
            if !keepGoing || interrupted { break }
            present(view(state, width, height))
        }
        return state
    }

    /// `.key(.ctrl("c"))` once a quit signal has arrived or the terminal has gone.
    private func quitRequest() -> Event? {
        if interruptingSignal == nil, let signal = SignalGuard.quitSignal { interruptingSignal = signal }
        return interruptingSignal == nil ? nil : .key(.ctrl("c"))
    }

    /// One input from curses, waiting at most `milliseconds` (0: only what is already there).
    private func read(waitingMilliseconds milliseconds: Int) -> RawInput? {
        wtimeout(te_stdscr(), Int32(milliseconds))
        var value: UInt32 = 0
        switch te_get_wch(&value) {
        case OK: return .scalar(value)
        case KEY_CODE_YES: return .code(Int32(bitPattern: value))
        default: return nil
        }
    }

    /// Decodes `first` and whatever input is already waiting behind it (the rest of a character,
    /// of a paste, of a burst of keys) into queued events. A paste is read to its end marker, or
    /// until a second passes without any of it.
    private func take(_ first: RawInput) {
        var decoded = decoder.feed(first)
        var pasteSilence = 0
        while true {
            decoded.forEach(handle)
            let wait = decoder.isPasting ? 100 : 0
            if let next = read(waitingMilliseconds: wait) {
                decoded = decoder.feed(next)
                pasteSilence = 0
                continue
            }
            if decoder.isPasting {
                pasteSilence += wait
                decoded = pasteSilence < 1000 && SignalGuard.quitSignal == nil ? [] : decoder.finishPaste()
                continue
            }
            decoder.flush().forEach(handle)
            return
        }
    }

    private func handle(_ decoded: DecodedInput) {
        switch decoded {
        case .event(let event):
            queued.append(event)
        case .mouseReport:
            var x: Int32 = 0, y: Int32 = 0, state: mmask_t = 0
            if te_get_mouse(&x, &y, &state) == OK, let event = mouse.event(state: state, x: Int(x), y: Int(y)) {
                queued.append(.mouse(event))
            }
        case .resized:
            var rows: Int32 = 0, columns: Int32 = 0
            te_screen_size(&rows, &columns)
            width = Int(columns)
            height = Int(rows)
            needsFullRepaint = true
            if case .resize = queued.last { queued.removeLast() }
            queued.append(.resize(width: width, height: height))
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
