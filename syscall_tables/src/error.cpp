#include "syscap/error.hpp"

#include <cstring>

namespace syscap {

std::unexpected<Error> fail_errno(std::string action, std::string object, int err) {
  return std::unexpected(Error{std::move(action), std::move(object), std::strerror(err), err});
}

}  // namespace syscap
