// Convolutions in TF.js's layouts (NHWC activations, HWIO or depthwise
// HWCM filters), on oneDNN's direct convolution: the activations stay in
// NHWC, the filters are reordered into the format the primitive chose.
// Where Winograd pays (winogradPays), the forward pass and the gradient to
// the input run oneDNN's Winograd F(4x4, 3x3) instead, on its blocked layout,
// with the activations reordered into it and back.
#include <cstdlib>

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
  Reorder src;  // NHWC into the primitive's layout (Winograd's blocked one; none for the direct convolution)
  Reorder dst;  // the primitive's layout back to NHWC
};
struct BackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  Reorder weights;
  Reorder diffDst;
  Reorder diffSrc;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights primitive;
  Reorder weights;  // from the primitive's format back to the user's
};

/**
 * Whether a convolution runs Winograd: 3x3, stride 1, no dilation, not
 * grouped, at least 32 channels in and out in multiples of 16 (what oneDNN's
 * avx512_core Winograd takes), and an output whose height and width are
 * multiples of 4 (its 4x4 tiles cover it exactly). Measured on the
 * development machine (AMD Zen 4, oneDNN 2.6.3), the Winograd call with its
 * two reorders (NHWC into its blocked layout and back) against the direct
 * convolution on NHWC, forward and to the input, at 1 / 2 threads:
 * - 32 -> 64 channels, 30x30 -> 28x28, batch 64: 0.78x / 0.67x forward, 0.99x / 0.90x to the input;
 * - 32 -> 32, 16x16, batch 128: 0.83x / 0.83x and 0.90x / 0.88x;
 * - 64 -> 64, 8x8, batch 128: 0.64x / 0.70x and 0.57x / 0.63x;
 * - left out: 64 -> 64 at 9x9 (tiles 44% wasted): 1.01x / 1.49x and 0.97x / 1.23x; 16 -> 16 at 32x32: 1.63x / 1.66x.
 * The filter's gradient stays direct (Winograd's was slower at every shape).
 * Winograd's float32 sums stay within 1e-5 of the output's scale of the direct
 * convolution's (kernels.test.ts checks it). The choice depends on the
 * shape alone, so a run and its resumption compute the same sums.
 * `TFJS_SKIP_ONEDNN_WINOGRAD=off` in the environment turns it off.
 */
bool winogradPays(const ConvShape& s) {
  static const bool off = [] {
    const char* setting = std::getenv("TFJS_SKIP_ONEDNN_WINOGRAD");
    return setting != nullptr && std::string(setting) == "off";
  }();
  return !off && s.groups == 1 && s.kh == 3 && s.kw == 3 && s.strideH == 1 && s.strideW == 1 && s.dilationH == 1 &&
         s.dilationW == 1 && s.c >= 32 && s.oc >= 32 && s.c % 16 == 0 && s.oc % 16 == 0 && s.oh % 4 == 0 &&
         s.ow % 4 == 0;
}

memory::desc anyLayout(const Dims& dims) { return memory::desc(dims, memory::data_type::f32, memory::format_tag::any); }

/** A convolution's forward primitive descriptor, and whether it is Winograd's. */
struct ForwardChoice {
  dnnl::convolution_forward::primitive_desc pd;
  bool winograd;
};

/** Winograd where it pays and oneDNN has it for this CPU and these post-ops, else the direct convolution. */
ForwardChoice chooseForward(const ConvShape& s, bool bias, const dnnl::primitive_attr& attr) {
  if (winogradPays(s)) {
    memory::desc biasDesc = bias ? f32Dense({s.oc}) : memory::desc();
    dnnl::convolution_forward::desc desc(prop_kind::forward_training, algorithm::convolution_winograd,
                                         anyLayout({s.n, s.c, s.h, s.w}), s.anyWeights(), biasDesc,
                                         anyLayout({s.n, s.oc, s.oh, s.ow}), s.strides(), s.dilates(), s.padL(),
                                         s.padR());
    try {
      return {dnnl::convolution_forward::primitive_desc(desc, attr, cpuEngine()), true};
    } catch (const dnnl::error&) {
      // oneDNN has no Winograd implementation for this CPU or these post-ops.
    }
  }
  return {dnnl::convolution_forward::primitive_desc(s.forwardDesc(bias), attr, cpuEngine()), false};
}

Forward makeForward(const ConvShape& s, bool bias, const dnnl::primitive_attr& attr) {
  auto pd = chooseForward(s, bias, attr).pd;
  return Forward{pd, dnnl::convolution_forward(pd), Reorder(s.userWeights(), pd.weights_desc()),
                 Reorder(s.src(), pd.src_desc()), Reorder(s.dst(), pd.dst_desc(), true)};
}

/** The input-gradient primitive, on the algorithm and layouts of the forward primitive it follows. */
BackwardData makeBackwardData(const ConvShape& s) {
  auto [hint, winograd] = chooseForward(s, false, dnnl::primitive_attr());
  dnnl::convolution_backward_data::desc desc(winograd ? algorithm::convolution_winograd : algorithm::convolution_direct,
                                             winograd ? hint.src_desc() : s.src(), s.anyWeights(),
                                             winograd ? hint.dst_desc() : s.dst(), s.strides(), s.dilates(), s.padL(),
                                             s.padR());
  dnnl::convolution_backward_data::primitive_desc pd(desc, cpuEngine(), hint);
  return BackwardData{pd, dnnl::convolution_backward_data(pd), Reorder(s.userWeights(), pd.weights_desc()),
                      Reorder(s.dst(), pd.diff_dst_desc()), Reorder(s.src(), pd.diff_src_desc(), true)};
}

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
    return makeForward(s, bias != nullptr, attr);
  });
  auto& engine = cpuEngine();
  memory dst(s.dst(), engine, out);
  memory weights = entry.weights.in(memory(s.userWeights(), engine, filter));
  std::unordered_map<int, memory> run{{DNNL_ARG_SRC, entry.src.in(memory(s.src(), engine, x))},
                                      {DNNL_ARG_WEIGHTS, weights},
                                      {DNNL_ARG_DST, entry.dst.target(dst)}};
  if (bias != nullptr) run.insert({DNNL_ARG_BIAS, memory(f32Dense({s.oc}), engine, bias)});
  entry.primitive.execute(cpuStream(), run);
  entry.dst.out(dst);
  cpuStream().wait();
}

void convBackwardData(const ConvShape& s, float* dy, float* filter, float* dx) {
  auto& entry = backwardData.get(s.text(), [&] { return makeBackwardData(s); });
  auto& engine = cpuEngine();
  memory diffSrc(s.src(), engine, dx);
  memory weights = entry.weights.in(memory(s.userWeights(), engine, filter));
  entry.primitive.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, entry.diffDst.in(memory(s.dst(), engine, dy))},
                                        {DNNL_ARG_WEIGHTS, weights},
                                        {DNNL_ARG_DIFF_SRC, entry.diffSrc.target(diffSrc)}});
  entry.diffSrc.out(diffSrc);
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

/** Which implementations a convolution of this geometry runs, each way ("jit_wino_4x3:avx512_core", ...). */
Napi::Value ConvImplementation(const Napi::CallbackInfo& info) {
  return guarded(info, "convImplementation", [&] {
    Args args(info, "convImplementation");
    ConvShape s = ConvShape::read(args);
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("forward", forwards.get(key(s.text(), false, "linear", 0.f), [&] {
                                 return makeForward(s, false, dnnl::primitive_attr());
                               }).pd.impl_info_str());
    out.Set("backwardData", backwardData.get(s.text(), [&] { return makeBackwardData(s); }).pd.impl_info_str());
    return out;
  });
}

}  // namespace tfjs_onednn
