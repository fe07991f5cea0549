#include "session/session.hpp"

namespace superpose {

const std::map<std::string, Buffer>& Session::buffers() {
  if (!fresh_) {
    refresh_buffers(buffers_);
    fresh_ = true;
  }
  return buffers_;
}

}  // namespace superpose
