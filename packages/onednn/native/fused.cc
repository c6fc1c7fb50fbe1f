// A residual block's convolution, training-mode batch norm, optional residual
// add and ReLU as one call each way: y = relu(bn(conv(x, filter)) + residual).
// The steps run on the primitives the single ops cache (steps.hh), so the
// fusion adds no primitive of its own; what it saves is the crossings into the
// addon, tfjs-core's bookkeeping of the three or four kernels it replaces
// (and of the tensors their gradients save), and the separate passes of the add,
// the ReLU and the ReLU's gradient, which here are one loop each over data
// that is still in cache.
#include <algorithm>

#include "ops.hh"
#include "steps.hh"

namespace tfjs_onednn {
namespace {

/** The two gradients between the primitives of the backward pass, kept per shape so a step touches no new pages. */
struct Scratch {
  std::vector<float> dPre;  // the gradient at the ReLU's input (when the residual's gradient is not asked for)
  std::vector<float> dConv;  // the gradient at the convolution's output
};
PrimitiveCache<Scratch> scratches(16);
[[maybe_unused]] const bool registered = [] {
  onClearCaches([] { scratches.clear(); });
  return true;
}();

/** The op's common arguments: the convolution's geometry, batch norm's epsilon and the activation, checked. */
struct Fused {
  ConvShape s;
  double epsilon;
  bool relu;

  static Fused read(Args& args) {
    ConvShape s = ConvShape::read(args);
    if (s.groups != 1) throw ArgumentError("the fused convolution is not grouped; received groups " + std::to_string(s.groups));
    double epsilon = args.number("epsilon");
    if (!(epsilon >= 0)) throw ArgumentError("epsilon must be a number >= 0; received " + std::to_string(epsilon));
    std::string activation = args.text("activation");
    if (activation != "relu" && activation != "linear") {
      throw ArgumentError("activation must be 'relu' or 'linear'; received '" + activation + "'");
    }
    return {s, epsilon, activation == "relu"};
  }
  int64_t rows() const { return s.n * s.oh * s.ow; }
};

}  // namespace

// convBatchNorm(geometry, epsilon, activation, x, filter, gamma, beta, residual | null, z, y, mean, variance):
// z = conv(x, filter); y = activation(bn(z) + residual) with the batch's mean and biased variance per channel.
// ReLU keeps NaN, as TF.js's does.
Napi::Value ConvBatchNorm(const Napi::CallbackInfo& info) {
  return guarded(info, "convBatchNorm", [&] {
    Args args(info, "convBatchNorm");
    Fused f = Fused::read(args);
    const ConvShape& s = f.s;
    float* x = args.floats("x", s.srcSize());
    float* filter = args.floats("filter", s.weightsSize());
    float* gamma = args.floats("gamma", s.oc);
    float* beta = args.floats("beta", s.oc);
    float* residual = args.optionalFloats("residual", s.dstSize());
    float* z = args.floats("z", s.dstSize());
    float* y = args.floats("y", s.dstSize());
    float* mean = args.floats("mean", s.oc);
    float* variance = args.floats("variance", s.oc);
    convForward(s, "linear", 0.f, x, filter, nullptr, z);
    batchNormForwardTraining(f.rows(), s.oc, f.epsilon, z, gamma, beta, y, mean, variance);
    int64_t count = s.dstSize();
    // The residual's add and the ReLU in one pass (as two, the add wrote y back to memory for the ReLU to read).
    if (residual != nullptr && f.relu) {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t i = 0; i < count; i++) {
        float v = y[i] + residual[i];
        y[i] = v > 0.f || v != v ? v : 0.f;
      }
    } else if (residual != nullptr) {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t i = 0; i < count; i++) y[i] += residual[i];
    } else if (f.relu) {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t i = 0; i < count; i++) y[i] = y[i] > 0.f || y[i] != y[i] ? y[i] : 0.f;
    }
    return info.Env().Undefined();
  });
}

// convBatchNormGrad(geometry, epsilon, activation, dy, x, filter, z, mean, variance, gamma, y,
//                   dx, dfilter, dgamma, dbeta, dresidual | null): the gradient of convBatchNorm with respect to
// x, filter, gamma, beta and (when dresidual is given) the residual, from the tensors its forward pass returned.
Napi::Value ConvBatchNormGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "convBatchNormGrad", [&] {
    Args args(info, "convBatchNormGrad");
    Fused f = Fused::read(args);
    const ConvShape& s = f.s;
    float* dy = args.floats("dy", s.dstSize());
    float* x = args.floats("x", s.srcSize());
    float* filter = args.floats("filter", s.weightsSize());
    float* z = args.floats("z", s.dstSize());
    float* mean = args.floats("mean", s.oc);
    float* variance = args.floats("variance", s.oc);
    float* gamma = args.floats("gamma", s.oc);
    float* y = args.floats("y", s.dstSize());
    float* dx = args.floats("dx", s.srcSize());
    float* dfilter = args.floats("dfilter", s.weightsSize());
    float* dgamma = args.floats("dgamma", s.oc);
    float* dbeta = args.floats("dbeta", s.oc);
    float* dresidual = args.optionalFloats("dresidual", s.dstSize());
    int64_t count = s.dstSize();
    Scratch& scratch = scratches.get(key(count), [&] { return Scratch{std::vector<float>(count), std::vector<float>(count)}; });
    // The gradient at the ReLU's input (which is also the residual's): dy * Step(y), NaN where y is NaN, as
    // TF.js's Relu gradient (y > 0 exactly where the ReLU's input is, and NaN where it is).
    float* dPre = dy;
    if (f.relu || dresidual != nullptr) {
      dPre = dresidual != nullptr ? dresidual : scratch.dPre.data();
      if (f.relu) {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
        for (int64_t i = 0; i < count; i++) {
          float slope = y[i] > 0.f ? 1.f : 0.f;
          slope = y[i] != y[i] ? y[i] : slope;
          dPre[i] = dy[i] * slope;
        }
      } else {
        std::copy(dy, dy + count, dPre);
      }
    }
    float* dConv = scratch.dConv.data();
    batchNormBackward(f.rows(), s.oc, f.epsilon, dPre, z, mean, variance, gamma, dConv, dgamma, dbeta);
    convBackwardData(s, dConv, filter, dx);
    convBackwardWeights(s, x, dConv, dfilter);
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
