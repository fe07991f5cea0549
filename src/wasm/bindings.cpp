// The wasm front end: the one file that knows about Emscripten. It wraps a Session (any
// experiment kind) in a `Lab` class for JS, as specified in docs/wasm-api.md. Every call answers
// a JSON string and turns C++ exceptions into {"ok": false, "error": ...}: nothing throws into JS.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>

#include "core/check.hpp"
#include "core/kernels.hpp"
#include "session/session.hpp"

namespace {
using superpose::Json;

std::string ok(Json body) {
  body["ok"] = true;
  return body.dump();
}

std::string error(const std::string& message, bool diverged = false) {
  Json e{{"ok", false}, {"error", message}};
  if (diverged) e["diverged"] = true;
  return e.dump();
}

template <class F>
std::string guarded(F&& f) {
  try {
    return f();
  } catch (const superpose::Diverged& e) {
    return error(e.what(), true);
  } catch (const std::exception& e) {
    return error(e.what());
  } catch (...) {
    return error("unknown error");
  }
}

class Lab {
 public:
  std::string configure(const std::string& kind, const std::string& config_json) {
    return guarded([&] {
      auto session = superpose::make_session(kind);
      Json config = session->configure(superpose::parse_json(config_json));
      session_ = std::move(session);  // only a valid config replaces the running experiment
      kind_ = kind;
      return ok({{"kind", kind_}, {"config", config}});
    });
  }

  std::string reset() {
    return guarded([&] {
      if (!session_) return error("not configured: call configure first");
      return ok({{"kind", kind_}, {"config", session_->reset()}});
    });
  }

  std::string step(double k) {
    return guarded([&] {
      if (!session_) return error("not configured: call configure first");
      return ok(session_->step(static_cast<int64_t>(k)));
    });
  }

  std::string buffers() {
    return guarded([&] {
      Json list = Json::array();
      if (session_)
        for (const auto& [name, buf] : session_->buffers())
          list.push_back({{"name", name}, {"shape", buf.shape}});
      return list.dump();
    });
  }

  // A view into the heap, valid until the next call into the module: the caller copies it.
  emscripten::val buffer(const std::string& name) {
    static const float kEmpty = 0.f;
    if (session_) {
      try {
        const auto& all = session_->buffers();
        auto it = all.find(name);
        if (it != all.end())
          return emscripten::val(
              emscripten::typed_memory_view(it->second.data.size(), it->second.data.data()));
      } catch (...) {
      }
    }
    return emscripten::val(emscripten::typed_memory_view(0, &kEmpty));
  }

 private:
  std::unique_ptr<superpose::Session> session_;
  std::string kind_;
};

std::string simd_info() {
  return Json{{"simd", superpose::simd_arch_name()}, {"width", superpose::simd_width()}}.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(superpose_lab) {
  emscripten::class_<Lab>("Lab")
      .constructor<>()
      .function("configure", &Lab::configure)
      .function("reset", &Lab::reset)
      .function("step", &Lab::step)
      .function("buffers", &Lab::buffers)
      .function("buffer", &Lab::buffer);
  emscripten::function("simdInfo", &simd_info);
}
