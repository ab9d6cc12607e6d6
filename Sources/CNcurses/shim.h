// The C side of the ncurses backend: ncursesw with wide characters, accessors for what Swift 6
// cannot use directly (C globals, function-like macros), and the signal handlers that restore
// the terminal, which must be C to be async-signal-safe.
#ifndef EXPLORER_CNCURSES_SHIM_H
#define EXPLORER_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// MARK: Globals and macros, as functions

static inline WINDOW *te_stdscr(void) { return stdscr; }
static inline int te_colors(void) { return COLORS; }
static inline int te_color_pairs(void) { return COLOR_PAIRS; }
static inline int te_lines(void) { return LINES; }
static inline int te_cols(void) { return COLS; }
static inline int te_key_f(int n) { return KEY_F(n); }

/// The screen's size in rows and columns.
static inline void te_screen_size(int *rows, int *columns) {
    int y, x;
    getmaxyx(stdscr, y, x);
    *rows = y;
    *columns = x;
}

/// A screen on standard output and input, or NULL when TERM names no known terminal.
static inline SCREEN *te_newterm(const char *type) { return newterm(type, stdout, stdin); }

static inline attr_t te_attr_normal(void) { return A_NORMAL; }
static inline attr_t te_attr_bold(void) { return A_BOLD; }
static inline attr_t te_attr_dim(void) { return A_DIM; }
static inline attr_t te_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t te_attr_reverse(void) { return A_REVERSE; }
static inline attr_t te_attr_italic(void) { return A_ITALIC; }

static inline mmask_t te_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t te_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t te_wheel_up(void) { return BUTTON4_PRESSED; }
static inline mmask_t te_wheel_down(void) { return BUTTON5_PRESSED; }

/// Reads one input from stdscr (honouring its timeout): OK with a character in *value,
/// KEY_CODE_YES with a key code in *value, or ERR on timeout or interruption.
static inline int te_get_wch(uint32_t *value) {
    wint_t ch = 0;
    int status = wget_wch(stdscr, &ch);
    *value = (uint32_t)ch;
    return status;
}

/// The last mouse event: OK with its cell and button state, or ERR.
static inline int te_get_mouse(int *x, int *y, mmask_t *state) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *x = event.x;
    *y = event.y;
    *state = event.bstate;
    return OK;
}

/// Writes one cell: `text` is a NUL-terminated spacing character plus any combining marks,
/// drawn with `attributes` and colour pair `pair` (an extended pair number, so more than 32767 work).
/// Returns -2 when ncurses refuses the text as one cell (say, two spacing characters), else what
/// mvwadd_wch returns (ERR in the bottom-right corner, where the cell is written all the same).
static inline int te_draw_cell(int y, int x, const wchar_t *text, attr_t attributes, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, 0, &pair) != OK) return -2;
    return mvwadd_wch(stdscr, y, x, &cell);
}

static inline int te_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }

// MARK: Signals
//
// The state below is `static`, so every object file that calls these functions gets its own copy:
// call them from ONE Swift source file only (TerminalCurses/SignalGuard.swift).
//
// Quit signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT) only record themselves; the program notices
// the record on its next read and leaves through its normal shutdown. A second quit signal while
// the first is still unanswered means the program is not reading: restore the terminal and die.
// Crash signals restore the terminal (termios as the shell had it, then escape sequences that
// leave the alternate screen, show the cursor and stop mouse and paste reporting), hand the signal
// to whatever handled it before (the Swift runtime's backtracer) and then re-raise it with the
// default action, so the process still dies of that signal. The handlers themselves make only
// async-signal-safe calls: tcsetattr, write, sigaction, raise.

enum { te_signal_slots = 32 };

/// Everything the handlers share. A function-local static: Swift's importer does not emit file-scope
/// static arrays or structs that only inline C code refers to (the link fails), but does emit this.
struct te_signal_state {
    volatile sig_atomic_t quit_signal;        // the quit signal received, 0 if none
    volatile sig_atomic_t have_shell_modes;
    volatile sig_atomic_t restore_length;
    int tty_input, tty_output;
    struct termios shell_modes;
    char restore_bytes[512];
    volatile sig_atomic_t installed[te_signal_slots];
    struct sigaction previous[te_signal_slots];
};

static inline struct te_signal_state *te_sig_state(void) {
    static struct te_signal_state state = { .tty_input = -1, .tty_output = -1 };
    return &state;
}

static inline void te_sig_restore_terminal_now(void) {
    struct te_signal_state *st = te_sig_state();
    if (st->have_shell_modes) tcsetattr(st->tty_input, TCSANOW, &st->shell_modes);
    if (st->tty_output >= 0 && st->restore_length > 0) {
        ssize_t unused = write(st->tty_output, st->restore_bytes, (size_t)st->restore_length);
        (void)unused;
    }
}

/// Makes the process die of `signal_number` by its default action (the signal is blocked inside
/// its handler, so it is delivered when the handler returns).
static inline void te_sig_die_of(int signal_number) {
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);
}

/// A crash: restore the terminal, let the previous handler (the Swift runtime's backtracer prints
/// a backtrace) run on the same signal, then die of it by the default action whatever that handler
/// did (one that returns expects the faulting instruction to fault again, which a `kill` would not).
static inline void te_sig_on_crash(int signal_number, siginfo_t *info, void *context) {
    struct sigaction then = te_sig_state()->previous[signal_number];
    int saved_errno = errno;
    te_sig_restore_terminal_now();
    if ((then.sa_flags & SA_SIGINFO) && then.sa_sigaction != NULL) {
        then.sa_sigaction(signal_number, info, context);
    } else if (then.sa_handler != SIG_DFL && then.sa_handler != SIG_IGN && then.sa_handler != NULL) {
        then.sa_handler(signal_number);
    }
    te_sig_die_of(signal_number);
    errno = saved_errno;
}

/// A request to quit: recorded for the program's next read; the second one kills.
static inline void te_sig_on_quit(int signal_number, siginfo_t *info, void *context) {
    struct te_signal_state *st = te_sig_state();
    (void)info;
    (void)context;
    if (st->quit_signal != 0) {
        int saved_errno = errno;
        te_sig_restore_terminal_now();
        te_sig_die_of(signal_number);
        errno = saved_errno;
        return;
    }
    st->quit_signal = signal_number;
}

static inline void te_sig_install_one(int signal_number, void (*handler)(int, siginfo_t *, void *), int respect_ignored) {
    struct te_signal_state *st = te_sig_state();
    struct sigaction action, previous;
    if (signal_number <= 0 || signal_number >= te_signal_slots || st->installed[signal_number]) return;
    if (sigaction(signal_number, NULL, &previous) != 0) return;
    if (respect_ignored && previous.sa_handler == SIG_IGN) return;   // e.g. SIGHUP under nohup
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;   // no SA_RESTART: a quit signal interrupts a blocking read
    if (sigaction(signal_number, &action, &st->previous[signal_number]) == 0) st->installed[signal_number] = 1;
}

/// Remembers the terminal modes to restore (call before curses changes them) and installs the
/// quit and crash handlers. `input` and `output` are the terminal's file descriptors.
static inline void te_sig_install(int input, int output) {
    static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    struct te_signal_state *st = te_sig_state();
    st->tty_input = input;
    st->tty_output = output;
    st->have_shell_modes = tcgetattr(input, &st->shell_modes) == 0;
    st->quit_signal = 0;
    for (size_t i = 0; i < sizeof quit_signals / sizeof *quit_signals; i++)
        te_sig_install_one(quit_signals[i], te_sig_on_quit, 1);
    for (size_t i = 0; i < sizeof crash_signals / sizeof *crash_signals; i++)
        te_sig_install_one(crash_signals[i], te_sig_on_crash, 0);
}

/// The bytes a crash handler writes after restoring the modes (at most 511 are kept).
static inline void te_sig_set_restore_bytes(const char *bytes, size_t length) {
    struct te_signal_state *st = te_sig_state();
    st->restore_length = 0;
    if (length >= sizeof st->restore_bytes) length = sizeof st->restore_bytes - 1;
    memcpy(st->restore_bytes, bytes, length);
    st->restore_length = (sig_atomic_t)length;
}

/// Puts every handler back as it was before `te_sig_install`.
static inline void te_sig_uninstall(void) {
    struct te_signal_state *st = te_sig_state();
    for (int s = 1; s < te_signal_slots; s++) {
        if (!st->installed[s]) continue;
        sigaction(s, &st->previous[s], NULL);
        st->installed[s] = 0;
    }
    st->have_shell_modes = 0;
    st->restore_length = 0;
}

/// The quit signal received since installation, or 0.
static inline int te_sig_quit_signal(void) { return (int)te_sig_state()->quit_signal; }

#endif
