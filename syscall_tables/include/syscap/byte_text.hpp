// Text that is really bytes: command arguments, executable paths and file names are whatever
// bytes the kernel holds, not always UTF-8, while JSON strings must be. A trace keeps such a
// string losslessly as {"utf8": <readable, U+FFFD for each bad byte>, "bytes": <hex>}
// (docs/trace-format.md); these are the pieces both sides of that contract use.
//
//   is_valid_utf8("caf\xe9");   // false
//   lossy_utf8("caf\xe9");      // "caf\uFFFD"
//   to_hex("caf\xe9");          // "636166e9"; from_hex("636166e9") gives the bytes back
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace syscap {

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF), which is what a JSON string may hold.
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string lossy_utf8(std::string_view text);

// Lower-case hex of every byte, and back (nullopt for odd length or a non-hex digit).
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace syscap
