// The C side of the ncurses backend: ncursesw with wide characters, and accessors for what
// Swift 6 cannot use directly (C globals, function-like macros). Stateless: a static variable here
// would exist once per object file that uses it (see CTerminalSignals for the handlers' state).
#ifndef EXPLORER_CNCURSES_SHIM_H
#define EXPLORER_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <stdint.h>
#include <stdio.h>
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

#endif
