// Signal handlers that give the terminal back when a full-screen program is asked to quit or
// crashes. C, so the handlers make only async-signal-safe calls; a target of its own, so their
// state is one set of real globals (a static in a header would be one copy per object file).
//
// Quit signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT) only record themselves: the program notices the
// record on its next read and leaves through its normal shutdown. A second quit signal while the
// first is unanswered means the program is not reading: restore the terminal and die of it.
//
// Crash signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) restore the terminal (the
// shell's termios, then bytes that leave the alternate screen, show the cursor and stop mouse and
// paste reporting), hand the signal to whatever handled it before (the Swift runtime's backtracer),
// then re-raise it with the default action, so the process still dies of that signal.
#ifndef EXPLORER_TERMINAL_SIGNALS_H
#define EXPLORER_TERMINAL_SIGNALS_H

#include <stddef.h>

/// Remembers the terminal's current modes (call before curses changes them) and installs the
/// quit and crash handlers. `input` and `output` are the terminal's file descriptors. Quit signals
/// that are ignored (as under nohup) stay ignored.
void te_sig_install(int input, int output);

/// The bytes a crash handler writes after restoring the modes (at most 511 are kept).
void te_sig_set_restore_bytes(const char *bytes, size_t length);

/// Puts every handler back as it was before `te_sig_install`.
void te_sig_uninstall(void);

/// The quit signal received since `te_sig_install`, or 0.
int te_sig_quit_signal(void);

#endif
