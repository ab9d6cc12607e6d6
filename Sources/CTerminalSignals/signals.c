#include "CTerminalSignals.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { slots = 32 };

static volatile sig_atomic_t quit_signal = 0;
static volatile sig_atomic_t have_shell_modes = 0;
static volatile sig_atomic_t restore_length = 0;
static int tty_input = -1, tty_output = -1;
static struct termios shell_modes;
static char restore_bytes[512];
static volatile sig_atomic_t installed[slots];
static struct sigaction previous[slots];

static void restore_terminal_now(void) {
    if (have_shell_modes) tcsetattr(tty_input, TCSANOW, &shell_modes);
    if (tty_output >= 0 && restore_length > 0) {
        ssize_t unused = write(tty_output, restore_bytes, (size_t)restore_length);
        (void)unused;
    }
}

/// Makes the process die of `signal_number` by its default action: at once from a crash handler
/// (SA_NODEFER leaves the signal unblocked), when the handler returns from a quit handler.
static void die_of(int signal_number) {
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
static void on_crash(int signal_number, siginfo_t *info, void *context) {
    struct sigaction then = previous[signal_number];
    int saved_errno = errno;
    restore_terminal_now();
    if ((then.sa_flags & SA_SIGINFO) && then.sa_sigaction != NULL) {
        then.sa_sigaction(signal_number, info, context);
    } else if (then.sa_handler != SIG_DFL && then.sa_handler != SIG_IGN && then.sa_handler != NULL) {
        then.sa_handler(signal_number);
    }
    die_of(signal_number);
    errno = saved_errno;
}

/// A request to quit: recorded for the program's next read; the second one kills.
static void on_quit(int signal_number, siginfo_t *info, void *context) {
    (void)info;
    (void)context;
    if (quit_signal != 0) {
        int saved_errno = errno;
        restore_terminal_now();
        die_of(signal_number);
        errno = saved_errno;
        return;
    }
    quit_signal = signal_number;
}

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
enum { quit_count = sizeof quit_signals / sizeof *quit_signals, crash_count = sizeof crash_signals / sizeof *crash_signals };

static void install_one(int signal_number, void (*handler)(int, siginfo_t *, void *), int is_crash) {
    struct sigaction action, current;
    if (signal_number <= 0 || signal_number >= slots || installed[signal_number]) return;
    if (sigaction(signal_number, NULL, &current) != 0) return;
    if (!is_crash && current.sa_handler == SIG_IGN) return;   // e.g. SIGHUP under nohup
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a quit signal interrupts a blocking read.
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (is_crash) {
        // As the Swift runtime installs its own crash handler, which ours calls: every other signal
        // blocked, the crash signals not, so that its helper thread, which inherits this mask, can
        // catch the faults of reading bad memory (with SIGSEGV blocked, such a fault kills the
        // process before the backtrace is done and leaves the backtracer waiting for ever).
        sigfillset(&action.sa_mask);
        for (size_t i = 0; i < crash_count; i++) sigdelset(&action.sa_mask, crash_signals[i]);
        action.sa_flags |= SA_NODEFER;
    }
    if (sigaction(signal_number, &action, &previous[signal_number]) == 0) installed[signal_number] = 1;
}

void te_sig_install(int input, int output) {
    tty_input = input;
    tty_output = output;
    have_shell_modes = tcgetattr(input, &shell_modes) == 0;
    quit_signal = 0;
    for (size_t i = 0; i < quit_count; i++) install_one(quit_signals[i], on_quit, 0);
    for (size_t i = 0; i < crash_count; i++) install_one(crash_signals[i], on_crash, 1);
}

void te_sig_set_restore_bytes(const char *bytes, size_t length) {
    restore_length = 0;
    if (length >= sizeof restore_bytes) length = sizeof restore_bytes - 1;
    memcpy(restore_bytes, bytes, length);
    restore_length = (sig_atomic_t)length;
}

void te_sig_uninstall(void) {
    for (int s = 1; s < slots; s++) {
        if (!installed[s]) continue;
        sigaction(s, &previous[s], NULL);
        installed[s] = 0;
    }
    have_shell_modes = 0;
    restore_length = 0;
}

int te_sig_quit_signal(void) { return (int)quit_signal; }
