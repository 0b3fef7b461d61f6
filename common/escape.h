/* Text from outside (a server's headers, a list's URLs, names given on the
 * command line) made safe to print on a terminal.
 *
 * A raw ESC or BEL in a message lets whoever wrote the text move the cursor,
 * clear the screen, retitle the window or worse; a raw newline breaks the
 * one-line-per-item outputs that scripts read. Every message of err_* goes
 * through esc_mem whole (no message needs a raw control character), and
 * programs escape the untrusted parts of what they print on stdout.
 *
 * Written visibly: \n \r \t as such, every other C0 control, DEL, the C1
 * controls (U+0080-U+009F) and every byte that is not part of valid UTF-8
 * as \xNN, byte by byte. Valid UTF-8 and backslashes stay as they are, so
 * ordinary text prints unchanged. */
#ifndef CONCUR_ESCAPE_H
#define CONCUR_ESCAPE_H

#include <stddef.h>

/* The most bytes escaping can make of one byte (\xNN). */
#define ESC_GROWTH 4

/* Escape the len bytes at src into dst (cap bytes, always NUL-terminated
 * when cap > 0). A dst too small ends the copy at a whole character, never
 * in the middle of an escape or of a UTF-8 sequence. Returns the bytes
 * written, without the NUL. */
size_t esc_mem(char *dst, size_t cap, const char *src, size_t len);
/* esc_mem of a string; returns dst. */
const char *esc_str(char *dst, size_t cap, const char *src);
/* Length of the valid UTF-8 sequence starting at s (n > 0 bytes left), or 0
 * when s[0] does not start one: a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF or a sequence cut short. */
size_t esc_utf8_len(const unsigned char *s, size_t n);
/* A malloc()ed escaped copy of src (free it), or NULL when out of memory. */
char *esc_dup(const char *src);

#endif
