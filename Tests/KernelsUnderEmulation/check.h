/// The AVX-512 tier checked against the portable one (check.c), runnable on Linux (hosted.c) and
/// on an emulated AVX-512 CPU with no operating system (boot.S, baremetal.c).
#ifndef CHECK_H
#define CHECK_H

/// Writes `length` bytes of text (the serial port, or standard output).
void check_write(const char *text, long length);
/// Writes a NUL-terminated string.
void check_print(const char *text);
/// Runs every check; prints one line per group and a summary. Returns the number of failures.
/// Without AVX-512 it fails at once when `require_avx512`, else compares whatever tier runs.
int check_run(int require_avx512);

#endif
