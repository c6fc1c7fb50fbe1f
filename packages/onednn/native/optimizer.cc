// Optimizer updates, one pass per variable, in the float32 arithmetic and
// order of operations of TF.js's own optimizers.
#include <cmath>

#include "ops.hh"

namespace tfjs_onednn {

// adamUpdate(count, [beta1, beta2, epsilon, learningRate, oneMinusAccBeta1, oneMinusAccBeta2], value, m, v, gradient,
// outValue, outM, outV)
Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  return guarded(info, "adamUpdate", [&] {
    Args args(info, "adamUpdate");
    int64_t count = static_cast<int64_t>(args.number("count"));
    if (count < 1) throw ArgumentError("count must be positive; received " + std::to_string(count));
    const float beta1 = static_cast<float>(args.number("beta1")), beta2 = static_cast<float>(args.number("beta2"));
    const float epsilon = static_cast<float>(args.number("epsilon")), rate = static_cast<float>(args.number("learningRate"));
    const float c1 = static_cast<float>(args.number("oneMinusAccBeta1")), c2 = static_cast<float>(args.number("oneMinusAccBeta2"));
    const float d1 = 1.f - beta1, d2 = 1.f - beta2;
    const float* value = args.floats("value", count);
    const float* m = args.floats("m", count);
    const float* v = args.floats("v", count);
    const float* g = args.floats("gradient", count);
    float* outValue = args.floats("outValue", count);
    float* outM = args.floats("outM", count);
    float* outV = args.floats("outV", count);
#pragma omp parallel for schedule(static) if (count > 65536)
    for (int64_t i = 0; i < count; i++) {
      float gi = g[i];
      float mi = m[i] * beta1 + gi * d1;
      float vi = v[i] * beta2 + gi * gi * d2;
      float step = mi / c1 / (std::sqrt(vi / c2) + epsilon);
      outValue[i] = step * -rate + value[i];
      outM[i] = mi;
      outV[i] = vi;
    }
    return info.Env().Undefined();
  });
}

// momentumUpdate(count, learningRate, momentum, nesterov, value, accumulation, gradient, outValue, outAccumulation)
Napi::Value MomentumUpdate(const Napi::CallbackInfo& info) {
  return guarded(info, "momentumUpdate", [&] {
    Args args(info, "momentumUpdate");
    int64_t count = static_cast<int64_t>(args.number("count"));
    if (count < 1) throw ArgumentError("count must be positive; received " + std::to_string(count));
    const float rate = static_cast<float>(args.number("learningRate"));
    const float momentum = static_cast<float>(args.number("momentum"));
    const bool nesterov = args.boolean("nesterov");
    const float* value = args.floats("value", count);
    const float* accumulation = args.floats("accumulation", count);
    const float* g = args.floats("gradient", count);
    float* outValue = args.floats("outValue", count);
    float* outAccumulation = args.floats("outAccumulation", count);
#pragma omp parallel for schedule(static) if (count > 65536)
    for (int64_t i = 0; i < count; i++) {
      float a = accumulation[i] * momentum + g[i];
      float step = nesterov ? g[i] + a * momentum : a;
      outValue[i] = value[i] + step * -rate;
      outAccumulation[i] = a;
    }
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
