// Max and average pooling over NHWC data and their gradients.
#include "geometry.hh"
#include "ops.hh"

namespace tfjs_onednn {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;

/**
 * TF.js's average pooling averages a window's valid cells forward, but its
 * AvgPoolGrad divides by the whole window (tfjs-backend-cpu and -wasm alike):
 * the gradient follows it, so every backend trains the same.
 */
algorithm poolAlgorithm(const std::string& kind, bool gradient) {
  if (kind == "max") return algorithm::pooling_max;
  if (kind == "avg") return gradient ? algorithm::pooling_avg_include_padding : algorithm::pooling_avg_exclude_padding;
  throw ArgumentError("pooling must be 'max' or 'avg'; received '" + kind + "'");
}

dnnl::pooling_forward::desc forwardDesc(const ConvShape& s, algorithm how) {
  return dnnl::pooling_forward::desc(prop_kind::forward_training, how, s.src(), s.dst(), s.strides(), {s.kh, s.kw},
                                     s.padL(), s.padR());
}

void checkPool(const ConvShape& s) {
  if (s.oc != s.c || s.groups != 1 || s.dilationH != 1 || s.dilationW != 1) {
    throw ArgumentError("a pooling window keeps the channels and has no dilation; received " + s.text());
  }
}

struct Forward {
  dnnl::pooling_forward::primitive_desc pd;
  dnnl::pooling_forward primitive;
};
struct Backward {
  dnnl::pooling_forward::primitive_desc hint;
  dnnl::pooling_forward forward;
  dnnl::pooling_backward::primitive_desc pd;
  dnnl::pooling_backward primitive;
  // Max pooling's forward pass again, for its workspace: its output and workspace buffers are kept with the
  // primitive. Allocating them on every call cost more than the pass (fresh pages faulted in on each call).
  memory y;
  memory workspace;
};
PrimitiveCache<Forward> forwards;
PrimitiveCache<Backward> backwards;
[[maybe_unused]] const bool registered = [] {
  onClearCaches([] {
    forwards.clear();
    backwards.clear();
  });
  countCached([] { return forwards.size() + backwards.size(); });
  return true;
}();

}  // namespace

// pool(geometry, 'max' | 'avg', x, out)
Napi::Value Pool(const Napi::CallbackInfo& info) {
  return guarded(info, "pool", [&] {
    Args args(info, "pool");
    ConvShape s = ConvShape::read(args);
    checkPool(s);
    std::string kind = args.text("kind");
    algorithm how = poolAlgorithm(kind, false);
    float* x = args.floats("x", s.srcSize());
    float* out = args.floats("out", s.dstSize());
    auto& entry = forwards.get(key(s.text(), kind), [&] {
      dnnl::pooling_forward::desc desc(prop_kind::forward_inference, how, s.src(), s.dst(), s.strides(),
                                       {s.kh, s.kw}, s.padL(), s.padR());
      dnnl::pooling_forward::primitive_desc pd(desc, cpuEngine());
      return Forward{pd, dnnl::pooling_forward(pd)};
    });
    auto& engine = cpuEngine();
    entry.primitive.execute(cpuStream(),
                            {{DNNL_ARG_SRC, memory(s.src(), engine, x)}, {DNNL_ARG_DST, memory(s.dst(), engine, out)}});
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

// poolGrad(geometry, 'max' | 'avg', x, dy, dx): max pooling finds its maxima again from x (TF.js does not keep oneDNN's workspace).
Napi::Value PoolGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "poolGrad", [&] {
    Args args(info, "poolGrad");
    ConvShape s = ConvShape::read(args);
    checkPool(s);
    std::string kind = args.text("kind");
    algorithm how = poolAlgorithm(kind, true);
    float* x = args.floats("x", s.srcSize());
    float* dy = args.floats("dy", s.dstSize());
    float* dx = args.floats("dx", s.srcSize());
    auto& entry = backwards.get(key(s.text(), kind), [&] {
      dnnl::pooling_forward::primitive_desc hint(forwardDesc(s, how), cpuEngine());
      dnnl::pooling_backward::desc desc(how, s.src(), s.dst(), s.strides(), {s.kh, s.kw}, s.padL(), s.padR());
      dnnl::pooling_backward::primitive_desc pd(desc, cpuEngine(), hint);
      bool max = how == algorithm::pooling_max;
      return Backward{hint, dnnl::pooling_forward(hint), pd, dnnl::pooling_backward(pd),
                      max ? memory(hint.dst_desc(), cpuEngine()) : memory(),
                      max ? memory(hint.workspace_desc(), cpuEngine()) : memory()};
    });
    auto& engine = cpuEngine();
    std::unordered_map<int, memory> backward{{DNNL_ARG_DIFF_DST, memory(s.dst(), engine, dy)},
                                             {DNNL_ARG_DIFF_SRC, memory(s.src(), engine, dx)}};
    if (how == algorithm::pooling_max) {
      entry.forward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(s.src(), engine, x)},
                                          {DNNL_ARG_DST, entry.y},
                                          {DNNL_ARG_WORKSPACE, entry.workspace}});
      backward.insert({DNNL_ARG_WORKSPACE, entry.workspace});
      entry.primitive.execute(cpuStream(), backward);
    } else {
      entry.primitive.execute(cpuStream(), backward);
    }
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
