/* randompix --names: what a saved file is called (rpx_names.c).
 *
 * random (the default): 8 random hex digits and an extension from the
 * Content-Type. remote: the last segment of the URL's path, percent-decoded,
 * or the server's Content-Disposition filename when it sends one; made safe:
 * no '/', '\\', control characters (C0, DEL, C1) or bytes outside UTF-8
 * (each becomes '_'), no leading dots or blanks (so never "." or ".." and
 * never hidden), at most RPX_NAME_MAX bytes (cut at a character, the
 * extension kept), "index" when nothing is left; an extension from the
 * Content-Type is added when the name has none. Two items of the list with
 * the same name: the first in list order keeps it, the k-th gets STEM~k.EXT
 * (decided before the run, so the same list always gives the same names);
 * a name that is taken on disk (an earlier run, a Content-Disposition name)
 * takes the next free STEM~k.EXT. sha256: the SHA-256 of the content and the
 * extension: the same content is saved once (a duplicate is recorded with
 * the existing file's path). */
#ifndef CONCUR_RPX_NAMES_H
#define CONCUR_RPX_NAMES_H

#include <stddef.h>

#include "rpx.h"

#define RPX_NAME_MAX 200 /* bytes, well under NAME_MAX (255) with ~k and .part */

/* Sanitise len bytes at s (see above) into out (RPX_NAME_MAX + 1 bytes). */
void rpx_name_clean(const char *s, size_t len, char *out);
/* The name from a URL's path (percent-decoded, then cleaned) into out. */
void rpx_name_from_url(const char *url, char *out);
/* The filename of a Content-Disposition value (filename*=UTF-8''... first,
 * then filename="..." or filename=token), without any folder part, cleaned,
 * into out. Returns 0, or -1 when the header names no file. */
int rpx_name_from_disposition(const char *value, char *out);
/* name with ext appended when it has no extension of its own (in place;
 * out has RPX_NAME_MAX + 1 bytes). */
void rpx_name_add_ext(char *name, const char *ext);
/* name as STEM~k.EXT (k >= 2) into out (RPX_NAME_MAX + 16 bytes). */
void rpx_name_variant(const char *name, unsigned k, char *out, size_t cap);

#endif
