#include "common.hh"

#include <omp.h>

namespace tfjs_onednn {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

std::string dimsText(const Dims& dims) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < dims.size(); i++) out << (i ? "," : "") << dims[i];
  out << ']';
  return out.str();
}

std::ostream& operator<<(std::ostream& out, const Dims& dims) { return out << dimsText(dims); }

int64_t product(const Dims& dims) {
  int64_t n = 1;
  for (auto d : dims) n *= d;
  return n;
}

const Napi::Value Args::next(const char* name) {
  if (at_ >= info_.Length()) {
    throw ArgumentError(std::string("argument '") + name + "' is missing (received " +
                        std::to_string(info_.Length()) + " arguments)");
  }
  return info_[at_++];
}

float* Args::floats(const char* name, int64_t count) {
  Napi::Value value = next(name);
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw ArgumentError(std::string("argument '") + name + "' must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (count < 0 || static_cast<int64_t>(array.ElementLength()) != count) {
    throw ArgumentError(std::string("argument '") + name + "' holds " + std::to_string(array.ElementLength()) +
                        " floats where its shape needs " + std::to_string(count));
  }
  return array.Data();
}

float* Args::optionalFloats(const char* name, int64_t count) {
  if (at_ < info_.Length() && (info_[at_].IsNull() || info_[at_].IsUndefined())) {
    at_++;
    return nullptr;
  }
  return floats(name, count);
}

std::vector<int64_t> Args::ints(const char* name) {
  Napi::Value value = next(name);
  if (!value.IsArray()) throw ArgumentError(std::string("argument '") + name + "' must be an array of integers");
  auto array = value.As<Napi::Array>();
  std::vector<int64_t> out(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value item = array.Get(i);
    if (!item.IsNumber()) throw ArgumentError(std::string("argument '") + name + "' must hold only numbers");
    double v = item.As<Napi::Number>().DoubleValue();
    if (v != static_cast<double>(static_cast<int64_t>(v)) || v < -(1LL << 40) || v > (1LL << 40)) {
      throw ArgumentError(std::string("argument '") + name + "' must hold integers; item " + std::to_string(i) +
                          " is " + std::to_string(v));
    }
    out[i] = static_cast<int64_t>(v);
  }
  return out;
}

double Args::number(const char* name) {
  Napi::Value value = next(name);
  if (!value.IsNumber()) throw ArgumentError(std::string("argument '") + name + "' must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

bool Args::boolean(const char* name) {
  Napi::Value value = next(name);
  if (!value.IsBoolean()) throw ArgumentError(std::string("argument '") + name + "' must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string Args::text(const char* name) {
  Napi::Value value = next(name);
  if (!value.IsString()) throw ArgumentError(std::string("argument '") + name + "' must be a string");
  return value.As<Napi::String>().Utf8Value();
}

static std::vector<std::function<void()>>& clears() {
  static std::vector<std::function<void()>> all;
  return all;
}
static std::vector<std::function<size_t()>>& counts() {
  static std::vector<std::function<size_t()>> all;
  return all;
}
void onClearCaches(std::function<void()> clear) { clears().push_back(std::move(clear)); }
void countCached(std::function<size_t()> count) { counts().push_back(std::move(count)); }
void clearAllCaches() {
  for (auto& clear : clears()) clear();
}
size_t cachedPrimitives() {
  size_t n = 0;
  for (auto& count : counts()) n += count();
  return n;
}

Dims denseStrides(const Dims& dims) {
  Dims strides(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; i--) strides[i] = strides[i + 1] * dims[i + 1];
  return strides;
}

memory::desc f32(const Dims& dims, const Dims& strides) { return memory::desc(dims, memory::data_type::f32, strides); }
memory::desc f32Dense(const Dims& dims) { return f32(dims, denseStrides(dims)); }

Napi::Value guarded(const Napi::CallbackInfo& info, const char* op, const std::function<Napi::Value()>& body) {
  Napi::Env env = info.Env();
  try {
    return body();
  } catch (const ArgumentError& e) {
    Napi::TypeError::New(env, std::string("onednn ") + op + ": " + e.what()).ThrowAsJavaScriptException();
  } catch (const dnnl::error& e) {
    Napi::Error::New(env, std::string("onednn ") + op + ": oneDNN failed (status " + std::to_string(e.status) +
                              "): " + e.what())
        .ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    Napi::Error::New(env, std::string("onednn ") + op + ": " + e.what()).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

Reorder::Reorder(const memory::desc& user, const memory::desc& primitive, bool toUser) : needed_(user != primitive) {
  if (!needed_) return;
  scratch_ = memory(primitive, cpuEngine());
  memory placeholder(user, cpuEngine(), DNNL_MEMORY_NONE);
  primitive_ = toUser ? dnnl::reorder(scratch_, placeholder) : dnnl::reorder(placeholder, scratch_);
}

memory Reorder::in(const memory& user) {
  if (!needed_) return user;
  primitive_.execute(cpuStream(), {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, scratch_}});
  return scratch_;
}

memory Reorder::target(const memory& user) { return needed_ ? scratch_ : user; }

void Reorder::out(const memory& user) {
  if (needed_) primitive_.execute(cpuStream(), {{DNNL_ARG_FROM, scratch_}, {DNNL_ARG_TO, user}});
}

OneThreadIf::OneThreadIf(bool small) : restore_(small ? omp_get_max_threads() : 1) {
  if (restore_ > 1) omp_set_num_threads(1);
}

OneThreadIf::~OneThreadIf() {
  if (restore_ > 1) omp_set_num_threads(restore_);
}

dnnl::post_ops activationPostOps(const std::string& activation, float alpha) {
  dnnl::post_ops ops;
  using dnnl::algorithm;
  if (activation == "linear" || activation.empty()) return ops;
  if (activation == "relu") ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
  else if (activation == "leakyrelu") ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f);
  else if (activation == "relu6") ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f);
  else if (activation == "elu") ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f);
  else if (activation == "sigmoid") ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f);
  else if (activation == "tanh") ops.append_eltwise(1.f, algorithm::eltwise_tanh, 0.f, 0.f);
  else throw ArgumentError("unknown fused activation '" + activation + "'");
  return ops;
}

}  // namespace tfjs_onednn
