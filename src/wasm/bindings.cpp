// The wasm front end: the one file that knows about Emscripten. It wraps a Session (any
// experiment kind) in a `Lab` class for JS, as specified in docs/wasm-api.md. Every call answers
// a JSON string and turns C++ exceptions into {"ok": false, "error": ...}: nothing throws into JS.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <vector>

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
    return configure_with(kind, [&](superpose::Session& s) {
      return s.configure(superpose::parse_json(config_json));
    });
  }

  // configure, with the bytes (a Uint8Array or ArrayBuffer) of the data file the config names
  // (kind sae, data "npy"): the page passes the file it opened as it is.
  std::string configure_with_file(const std::string& kind, const std::string& config_json,
                                  const emscripten::val& bytes) {
    return configure_with(kind, [&](superpose::Session& s) {
      return s.configure_with_file(superpose::parse_json(config_json), bytes_of(bytes));
    });
  }

  std::string reset() {
    return guarded([&] {
      if (!session_) return error("not configured: call configure first");
      return answer(session_->reset());
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

  // Interop (issue 7). exportSafetensors() keeps the file's bytes in the Lab and answers
  // {"ok":true,"size":N}; exportedBytes() is a Uint8Array VIEW of them (copy at once, like buffer).
  std::string export_safetensors() {
    return guarded([&] {
      if (!session_) return error("not configured: call configure first");
      exported_ = session_->export_safetensors();
      return ok({{"kind", kind_}, {"size", exported_.size()}});
    });
  }

  emscripten::val exported_bytes() {
    static const uint8_t kEmpty = 0;
    if (exported_.empty()) return emscripten::val(emscripten::typed_memory_view(0, &kEmpty));
    return emscripten::val(emscripten::typed_memory_view(exported_.size(), exported_.data()));
  }

  // Replaces the experiment with the one in the file (a Uint8Array or ArrayBuffer); answers like
  // configure. A bad file leaves the running experiment as it was.
  std::string import_safetensors(const std::string& kind, const emscripten::val& bytes) {
    return guarded([&] {
      const std::vector<uint8_t> data = bytes_of(bytes);
      auto session = superpose::make_session(kind);
      Json config = session->import_safetensors(data);
      session_ = std::move(session);
      kind_ = kind;
      return answer(std::move(config));
    });
  }

  // A SAELens SAE (issue 7): exportSaeLens(run) keeps sae_weights.safetensors' bytes in the Lab
  // (exportedBytes(), as above) and answers {"ok":true,"kind","run","size":N,"cfg_json":"..."};
  // importSaeLens(cfgJson, bytes) puts a file's SAE into the running experiment (kinds sae,
  // steer) and answers like configure; a bad file leaves the experiment as it was.
  std::string export_saelens(int run) {
    return guarded([&] {
      if (!session_) return error("not configured: call configure first");
      auto files = session_->export_saelens(run);
      exported_ = std::move(files.weights);
      return ok({{"kind", kind_}, {"run", run}, {"size", exported_.size()}, {"cfg_json", files.cfg_json}});
    });
  }

  std::string import_saelens(const std::string& cfg_json, const emscripten::val& bytes) {
    return guarded([&] {
      if (!session_) return error("not configured: call configure first");
      const std::vector<uint8_t> data = bytes_of(bytes);
      return answer(session_->import_saelens(cfg_json, data));
    });
  }

 private:
  // The running session of the same kind takes the new config itself, so it may keep what the
  // change leaves alone (docs/wasm-api.md, kind steer: the trained models when only the
  // intervention changes, an imported SAELens SAE). A session's configure changes nothing when
  // it throws, so here too only a valid config changes the running experiment.
  template <class Apply>
  std::string configure_with(const std::string& kind, Apply&& apply) {
    return guarded([&] {
      if (session_ && kind == kind_) return answer(apply(*session_));
      auto session = superpose::make_session(kind);
      Json config = apply(*session);
      session_ = std::move(session);  // only a valid config replaces the running experiment
      kind_ = kind;
      return answer(std::move(config));
    });
  }

  // What configure, reset and the imports answer: the filled-in config and where the run stands
  // (the same step, total_steps and done as a step answer), so a driver knows the run's length
  // before its first step.
  std::string answer(Json config) const {
    const superpose::RunProgress p = session_->progress();
    return ok({{"kind", kind_}, {"config", std::move(config)}, {"step", p.step},
               {"total_steps", p.total_steps}, {"done", p.done}});
  }

  // A Uint8Array or ArrayBuffer's bytes.
  static std::vector<uint8_t> bytes_of(const emscripten::val& bytes) {
    const emscripten::val array = bytes.instanceof(emscripten::val::global("ArrayBuffer"))
                                      ? emscripten::val::global("Uint8Array").new_(bytes)
                                      : bytes;
    return emscripten::convertJSArrayToNumberVector<uint8_t>(array);
  }

  std::unique_ptr<superpose::Session> session_;
  std::string kind_;
  std::vector<uint8_t> exported_;
};

// The config keys of a kind (docs/wasm-api.md, "Schemas"): {"ok":true,"kind","fields":[...]}.
std::string schema(const std::string& kind) {
  return guarded([&] { return ok(superpose::session_schema(kind)); });
}

std::string schema_kinds() { return Json(superpose::session_kinds()).dump(); }

std::string simd_info() {
  return Json{{"simd", superpose::simd_arch_name()}, {"width", superpose::simd_width()}}.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(superpose_lab) {
  emscripten::class_<Lab>("Lab")
      .constructor<>()
      .function("configure", &Lab::configure)
      .function("configureWithFile", &Lab::configure_with_file)
      .function("reset", &Lab::reset)
      .function("step", &Lab::step)
      .function("buffers", &Lab::buffers)
      .function("buffer", &Lab::buffer)
      .function("exportSafetensors", &Lab::export_safetensors)
      .function("exportedBytes", &Lab::exported_bytes)
      .function("importSafetensors", &Lab::import_safetensors)
      .function("exportSaeLens", &Lab::export_saelens)
      .function("importSaeLens", &Lab::import_saelens);
  emscripten::function("simdInfo", &simd_info);
  emscripten::function("schema", &schema);
  emscripten::function("schemaKinds", &schema_kinds);
}
