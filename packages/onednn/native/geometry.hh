// The geometry of a convolution or pooling window over NHWC data.
#pragma once
#include "common.hh"

namespace tfjs_onednn {

/** A convolution's geometry, as TF.js's `computeConv2DInfo` gives it. */
struct ConvShape {
  int64_t n, h, w, c, oh, ow, oc, kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom,
      padRight, groups;

  /** Reads the 18 integers of TF.js's computeConv2DInfo or computePool2DInfo (see src/native.ts). */
  static ConvShape read(Args& args) {
    auto p = args.ints("geometry");
    if (p.size() != 18) throw ArgumentError("geometry must hold 18 integers, received " + std::to_string(p.size()));
    ConvShape s{p[0], p[1], p[2],  p[3],  p[4],  p[5],  p[6],  p[7],  p[8],
                p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17]};
    for (int i = 0; i < 18; i++) {
      bool padding = i >= 13 && i <= 16;
      if (p[i] < (padding ? 0 : 1)) throw ArgumentError("geometry item " + std::to_string(i) + " is " + std::to_string(p[i]));
    }
    if (s.groups != 1 && (s.groups != s.c || s.oc % s.c != 0)) {
      throw ArgumentError("groups must be 1 or the input channels (depthwise); received " + std::to_string(s.groups));
    }
    return s;
  }
  int64_t srcSize() const { return n * h * w * c; }
  int64_t dstSize() const { return n * oh * ow * oc; }
  int64_t weightsSize() const { return kh * kw * c * (oc / groups); }
  Dims strides() const { return {strideH, strideW}; }
  Dims dilates() const { return {dilationH - 1, dilationW - 1}; }
  Dims padL() const { return {padTop, padLeft}; }
  Dims padR() const { return {padBottom, padRight}; }
  std::string text() const {
    return key("n", n, "h", h, "w", w, "c", c, "oh", oh, "ow", ow, "oc", oc, "k", kh, kw, "s", strideH, strideW, "d",
               dilationH, dilationW, "p", padTop, padLeft, padBottom, padRight, "g", groups);
  }

  memory::desc src() const { return f32({n, c, h, w}, {h * w * c, 1, w * c, c}); }
  memory::desc dst() const { return f32({n, oc, oh, ow}, {oh * ow * oc, 1, ow * oc, oc}); }
  /** The filter as TF.js holds it: [kh, kw, in, out] or, depthwise, [kh, kw, in, multiplier]. */
  memory::desc userWeights() const {
    if (groups == 1) return f32({oc, c, kh, kw}, {1, oc, kw * c * oc, c * oc});
    int64_t m = oc / groups;
    return f32({groups, m, 1, kh, kw}, {m, 1, 1, kw * c * m, c * m});
  }
  memory::desc anyWeights() const {
    Dims dims = groups == 1 ? Dims{oc, c, kh, kw} : Dims{groups, oc / groups, 1, kh, kw};
    return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
  }
  dnnl::convolution_forward::desc forwardDesc(bool bias) const {
    using dnnl::algorithm;
    using dnnl::prop_kind;
    memory::desc biasDesc = bias ? f32Dense({oc}) : memory::desc();
    return dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, src(),
                                           anyWeights(), biasDesc, dst(), strides(), dilates(), padL(), padR());
  }
};

}  // namespace tfjs_onednn
