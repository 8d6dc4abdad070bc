// fmt's compiled part, built once from Debian's libfmt-dev headers. Debian ships fmt as headers
// and a shared library only (no libfmt.a): compiling the part a libfmt would hold here lets the
// syscap executable link statically (it starts several ms sooner than with its dozen shared
// libraries) without making fmt header-only in every translation unit.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
// The templates format.h declares `extern template` unless FMT_HEADER_ONLY, made here.
template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto thousands_sep_impl<wchar_t>(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
}  // namespace detail
FMT_END_NAMESPACE
