// tfjs-skip-onednn's addon: the table of operations (ops.hh) and the
// controls around them (threads, what oneDNN runs on, its caches).
#include <omp.h>

#include "ops.hh"

namespace tfjs_onednn {
namespace {

std::string isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "default";
  }
}

// info(): {version, isa, threads, cachedPrimitives}
Napi::Value Info(const Napi::CallbackInfo& info) {
  return guarded(info, "info", [&] {
    Napi::Object out = Napi::Object::New(info.Env());
    const dnnl_version_t* v = dnnl::version();
    out.Set("version", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
    out.Set("isa", isaName(dnnl::get_effective_cpu_isa()));
    out.Set("threads", omp_get_max_threads());
    out.Set("cachedPrimitives", static_cast<double>(cachedPrimitives()));
    return out;
  });
}

// setThreads(n): the threads oneDNN and the addon's loops use from the next op on.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  return guarded(info, "setThreads", [&] {
    Args args(info, "setThreads");
    double n = args.number("threads");
    if (!(n >= 1 && n <= 1024) || n != static_cast<int>(n)) {
      throw ArgumentError("threads must be an integer from 1 to 1024; received " + std::to_string(n));
    }
    omp_set_num_threads(static_cast<int>(n));
    return info.Env().Undefined();
  });
}

// clearCaches(): frees every cached primitive (and with them their scratch memory).
Napi::Value ClearCaches(const Napi::CallbackInfo& info) {
  return guarded(info, "clearCaches", [&] {
    clearAllCaches();
    return info.Env().Undefined();
  });
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  const std::pair<const char*, Napi::Value (*)(const Napi::CallbackInfo&)> table[] = {
      {"info", Info},
      {"setThreads", SetThreads},
      {"clearCaches", ClearCaches},
      {"conv2d", Conv2D},
      {"conv2dBackpropInput", Conv2DBackpropInput},
      {"conv2dBackpropFilter", Conv2DBackpropFilter},
      {"convImplementation", ConvImplementation},
      {"matMul", MatMul},
      {"pool", Pool},
      {"poolGrad", PoolGrad},
      {"batchNormTrain", BatchNormTrain},
      {"batchNormTrainGrad", BatchNormTrainGrad},
      {"batchNormInference", BatchNormInference},
      {"convBatchNorm", ConvBatchNorm},
      {"convBatchNormGrad", ConvBatchNormGrad},
      {"unary", Unary},
      {"unaryGrad", UnaryGrad},
      {"reluBiasGrad", ReluBiasGrad},
      {"binary", Binary},
      {"reduce", Reduce},
      {"slice", Slice},
      {"pad", Pad},
      {"adamUpdate", AdamUpdate},
      {"momentumUpdate", MomentumUpdate},
      {"movingAverages", MovingAverages},
  };
  for (const auto& [name, function] : table) exports.Set(name, Napi::Function::New(env, function, name));
  return exports;
}

}  // namespace tfjs_onednn

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tfjs_onednn::Init(env, exports); }
NODE_API_MODULE(tfjs_skip_onednn, InitAddon)
