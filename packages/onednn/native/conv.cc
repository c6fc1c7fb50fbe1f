// Convolutions in TF.js's layouts (NHWC activations, HWIO or depthwise
// HWCM filters), on oneDNN's direct convolution: the activations stay in
// NHWC, the filters are reordered into the format the primitive chose.
#include "ops.hh"
#include "steps.hh"

namespace tfjs_onednn {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;

struct Forward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward primitive;
  Reorder weights;
};
struct BackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  Reorder weights;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights primitive;
  Reorder weights;  // from the primitive's format back to the user's
};

PrimitiveCache<Forward> forwards;
PrimitiveCache<BackwardData> backwardData;
PrimitiveCache<BackwardWeights> backwardWeights;
[[maybe_unused]] const bool registered = [] {
  onClearCaches([] {
    forwards.clear();
    backwardData.clear();
    backwardWeights.clear();
  });
  countCached([] { return forwards.size() + backwardData.size() + backwardWeights.size(); });
  return true;
}();

}  // namespace

void convForward(const ConvShape& s, const std::string& activation, float alpha, float* x, float* filter, float* bias,
                 float* out) {
  auto& entry = forwards.get(key(s.text(), bias != nullptr, activation, alpha), [&] {
    dnnl::primitive_attr attr;
    attr.set_post_ops(activationPostOps(activation, alpha));
    dnnl::convolution_forward::primitive_desc pd(s.forwardDesc(bias != nullptr), attr, cpuEngine());
    return Forward{pd, dnnl::convolution_forward(pd), Reorder(s.userWeights(), pd.weights_desc())};
  });
  auto& engine = cpuEngine();
  memory src(s.src(), engine, x), dst(s.dst(), engine, out);
  memory weights = entry.weights.in(memory(s.userWeights(), engine, filter));
  std::unordered_map<int, memory> run{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}};
  if (bias != nullptr) run.insert({DNNL_ARG_BIAS, memory(f32Dense({s.oc}), engine, bias)});
  entry.primitive.execute(cpuStream(), run);
  cpuStream().wait();
}

void convBackwardData(const ConvShape& s, float* dy, float* filter, float* dx) {
  auto& entry = backwardData.get(s.text(), [&] {
    dnnl::convolution_forward::primitive_desc hint(s.forwardDesc(false), cpuEngine());
    dnnl::convolution_backward_data::desc desc(algorithm::convolution_direct, s.src(), s.anyWeights(), s.dst(),
                                               s.strides(), s.dilates(), s.padL(), s.padR());
    dnnl::convolution_backward_data::primitive_desc pd(desc, cpuEngine(), hint);
    return BackwardData{pd, dnnl::convolution_backward_data(pd), Reorder(s.userWeights(), pd.weights_desc())};
  });
  auto& engine = cpuEngine();
  memory diffDst(s.dst(), engine, dy), diffSrc(s.src(), engine, dx);
  memory weights = entry.weights.in(memory(s.userWeights(), engine, filter));
  entry.primitive.execute(cpuStream(),
                          {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  cpuStream().wait();
}

void convBackwardWeights(const ConvShape& s, float* x, float* dy, float* dfilter) {
  auto& entry = backwardWeights.get(s.text(), [&] {
    dnnl::convolution_forward::primitive_desc hint(s.forwardDesc(false), cpuEngine());
    dnnl::convolution_backward_weights::desc desc(algorithm::convolution_direct, s.src(), s.anyWeights(), s.dst(),
                                                  s.strides(), s.dilates(), s.padL(), s.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(desc, cpuEngine(), hint);
    // oneDNN 2.6.3's jit_1x1 backward-weights kernel, for a strided 1x1 window over NHWC data, crashed the
    // process (x [1,10,10,8], 1x1 filter to 16 channels, stride 2, 'same'): take the next implementation there.
    bool strided1x1 = s.kh == 1 && s.kw == 1 && (s.strideH > 1 || s.strideW > 1);
    while (strided1x1 && std::string(pd.impl_info_str()).rfind("jit_1x1", 0) == 0 && pd.next_impl()) {
    }
    return BackwardWeights{pd, dnnl::convolution_backward_weights(pd),
                           Reorder(s.userWeights(), pd.diff_weights_desc(), true)};
  });
  auto& engine = cpuEngine();
  memory src(s.src(), engine, x), diffDst(s.dst(), engine, dy);
  memory user(s.userWeights(), engine, dfilter);
  entry.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, src},
                                        {DNNL_ARG_DIFF_DST, diffDst},
                                        {DNNL_ARG_DIFF_WEIGHTS, entry.weights.target(user)}});
  entry.weights.out(user);
  cpuStream().wait();
}

// conv2d(geometry, activation, alpha, x, filter, bias | null, out): out = activation(conv(x, filter) + bias).
Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  return guarded(info, "conv2d", [&] {
    Args args(info, "conv2d");
    ConvShape s = ConvShape::read(args);
    std::string activation = args.text("activation");
    float alpha = static_cast<float>(args.number("alpha"));
    float* x = args.floats("x", s.srcSize());
    float* filter = args.floats("filter", s.weightsSize());
    float* bias = args.optionalFloats("bias", s.oc);
    float* out = args.floats("out", s.dstSize());
    convForward(s, activation, alpha, x, filter, bias, out);
    return info.Env().Undefined();
  });
}

// conv2dBackpropInput(geometry, dy, filter, dx): the gradient of conv2d with respect to its input.
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  return guarded(info, "conv2dBackpropInput", [&] {
    Args args(info, "conv2dBackpropInput");
    ConvShape s = ConvShape::read(args);
    float* dy = args.floats("dy", s.dstSize());
    float* filter = args.floats("filter", s.weightsSize());
    float* dx = args.floats("dx", s.srcSize());
    convBackwardData(s, dy, filter, dx);
    return info.Env().Undefined();
  });
}

// conv2dBackpropFilter(geometry, x, dy, dfilter): the gradient of conv2d with respect to its filter.
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  return guarded(info, "conv2dBackpropFilter", [&] {
    Args args(info, "conv2dBackpropFilter");
    ConvShape s = ConvShape::read(args);
    float* x = args.floats("x", s.srcSize());
    float* dy = args.floats("dy", s.dstSize());
    float* dfilter = args.floats("dfilter", s.weightsSize());
    convBackwardWeights(s, x, dy, dfilter);
    return info.Env().Undefined();
  });
}

/** Which implementation oneDNN chose for a convolution of this geometry ("jit:avx512_core", ...). */
Napi::Value ConvImplementation(const Napi::CallbackInfo& info) {
  return guarded(info, "convImplementation", [&] {
    Args args(info, "convImplementation");
    ConvShape s = ConvShape::read(args);
    dnnl::convolution_forward::primitive_desc pd(s.forwardDesc(false), cpuEngine());
    return Napi::String::New(info.Env(), pd.impl_info_str());
  });
}

}  // namespace tfjs_onednn
