// Element-wise ops: activations and their gradients (oneDNN eltwise),
// binary ops with broadcasting (oneDNN binary), reductions (oneDNN reduction),
// and TF.js's Step, which oneDNN lacks.
#include <cmath>
#include <limits>
#include <omp.h>

#include "ops.hh"

namespace tfjs_onednn {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;

algorithm eltwiseAlgorithm(const std::string& name) {
  static const std::unordered_map<std::string, algorithm> table{
      {"relu", algorithm::eltwise_relu},       {"elu", algorithm::eltwise_elu},
      {"tanh", algorithm::eltwise_tanh},       {"logistic", algorithm::eltwise_logistic},
      {"square", algorithm::eltwise_square},   {"sqrt", algorithm::eltwise_sqrt},
      {"abs", algorithm::eltwise_abs},         {"exp", algorithm::eltwise_exp},
      {"log", algorithm::eltwise_log},         {"gelu_erf", algorithm::eltwise_gelu_erf},
      {"gelu_tanh", algorithm::eltwise_gelu_tanh}, {"swish", algorithm::eltwise_swish},
      {"clip", algorithm::eltwise_clip},       {"linear", algorithm::eltwise_linear},
  };
  auto found = table.find(name);
  if (found == table.end()) throw ArgumentError("unknown element-wise op '" + name + "'");
  return found->second;
}

algorithm binaryAlgorithm(const std::string& name) {
  static const std::unordered_map<std::string, algorithm> table{
      {"add", algorithm::binary_add}, {"sub", algorithm::binary_sub}, {"mul", algorithm::binary_mul},
      {"div", algorithm::binary_div}};
  auto found = table.find(name);
  if (found == table.end()) throw ArgumentError("unknown binary op '" + name + "'");
  return found->second;
}

algorithm reductionAlgorithm(const std::string& name) {
  if (name == "sum") return algorithm::reduction_sum;
  if (name == "mean") return algorithm::reduction_mean;
  throw ArgumentError("unknown reduction '" + name + "'");
}

struct Eltwise {
  dnnl::eltwise_forward::primitive_desc pd;
  dnnl::eltwise_forward primitive;
};
struct EltwiseGrad {
  dnnl::eltwise_backward::primitive_desc pd;
  dnnl::eltwise_backward primitive;
};
struct BinaryOp {
  dnnl::binary::primitive_desc pd;
  dnnl::binary primitive;
};
struct Reduction {
  dnnl::reduction::primitive_desc pd;
  dnnl::reduction primitive;
};
PrimitiveCache<Eltwise> eltwises;
PrimitiveCache<EltwiseGrad> eltwiseGrads;
PrimitiveCache<BinaryOp> binaries;
PrimitiveCache<Reduction> reductions;
[[maybe_unused]] const bool registered = [] {
  onClearCaches([] {
    eltwises.clear();
    eltwiseGrads.clear();
    binaries.clear();
    reductions.clear();
  });
  countCached([] { return eltwises.size() + eltwiseGrads.size() + binaries.size() + reductions.size(); });
  return true;
}();

dnnl::eltwise_forward::desc forwardDesc(algorithm how, int64_t count, float alpha, float beta) {
  return dnnl::eltwise_forward::desc(prop_kind::forward_training, how, f32Dense({count}), alpha, beta);
}

/** TF.js's Step: 1 where x > 0, alpha elsewhere, NaN kept. */
void step(const float* x, float* out, int64_t count, float alpha) {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
  for (int64_t i = 0; i < count; i++) {
    float v = x[i];
    out[i] = v > 0.f ? 1.f : (v != v ? v : alpha);
  }
}

/**
 * out[o, i] = sum or mean over m of x[o, m, i]: the reduction over one block
 * of adjacent axes, which oneDNN 2.6 leaves to a reference implementation
 * (global average pooling, bias gradients). Split by o, or by m in equal
 * blocks with the partial sums added in block order when o is small.
 */
void reduceMiddle(bool mean, int64_t outer, int64_t middle, int64_t inner, const float* x, float* out) {
  const float scale = mean ? 1.f / static_cast<float>(middle) : 1.f;
  if (outer >= omp_get_max_threads() || middle < 64) {
#pragma omp parallel for schedule(static) if (outer * middle * inner >= kParallelMin)
    for (int64_t o = 0; o < outer; o++) {
      float* row = out + o * inner;
      std::fill(row, row + inner, 0.f);
      for (int64_t m = 0; m < middle; m++) {
        const float* in = x + (o * middle + m) * inner;
        for (int64_t i = 0; i < inner; i++) row[i] += in[i];
      }
      for (int64_t i = 0; i < inner; i++) row[i] *= scale;
    }
    return;
  }
  const int blocks = omp_get_max_threads();
  std::vector<float> partial(static_cast<size_t>(blocks * inner));
  for (int64_t o = 0; o < outer; o++) {
#pragma omp parallel for schedule(static, 1)
    for (int b = 0; b < blocks; b++) {
      float* acc = partial.data() + b * inner;
      std::fill(acc, acc + inner, 0.f);
      for (int64_t m = middle * b / blocks; m < middle * (b + 1) / blocks; m++) {
        const float* in = x + (o * middle + m) * inner;
        for (int64_t i = 0; i < inner; i++) acc[i] += in[i];
      }
    }
    float* row = out + o * inner;
    std::fill(row, row + inner, 0.f);
    for (int b = 0; b < blocks; b++) {
      for (int64_t i = 0; i < inner; i++) row[i] += partial[b * inner + i];
    }
    for (int64_t i = 0; i < inner; i++) row[i] *= scale;
  }
}

}  // namespace

// unary(name, alpha, beta, count, x, out)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  return guarded(info, "unary", [&] {
    Args args(info, "unary");
    std::string name = args.text("name");
    float alpha = static_cast<float>(args.number("alpha")), beta = static_cast<float>(args.number("beta"));
    int64_t count = static_cast<int64_t>(args.number("count"));
    if (count < 1) throw ArgumentError("count must be positive; received " + std::to_string(count));
    float* x = args.floats("x", count);
    float* out = args.floats("out", count);
    if (name == "step") {
      step(x, out, count, alpha);
      return info.Env().Undefined();
    }
    // TF.js's Relu is max(0, x) and its LeakyRelu x < 0 ? alpha x : x, both keeping NaN (oneDNN's ReLU makes it 0).
    if (name == "relu") {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t i = 0; i < count; i++) out[i] = x[i] > 0.f || x[i] != x[i] ? x[i] : 0.f;
      return info.Env().Undefined();
    }
    if (name == "leakyrelu") {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t i = 0; i < count; i++) out[i] = x[i] < 0.f ? alpha * x[i] : x[i];
      return info.Env().Undefined();
    }
    algorithm how = eltwiseAlgorithm(name);
    OneThreadIf oneThread(count < kParallelMin);
    auto& entry = eltwises.get(key(name, alpha, beta, count), [&] {
      dnnl::eltwise_forward::primitive_desc pd(forwardDesc(how, count, alpha, beta), cpuEngine());
      return Eltwise{pd, dnnl::eltwise_forward(pd)};
    });
    memory::desc data = f32Dense({count});
    entry.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, memory(data, cpuEngine(), x)},
                                          {DNNL_ARG_DST, memory(data, cpuEngine(), out)}});
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

// unaryGrad(name, alpha, beta, count, x, dy, dx): dx = dy * f'(x).
Napi::Value UnaryGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "unaryGrad", [&] {
    Args args(info, "unaryGrad");
    std::string name = args.text("name");
    float alpha = static_cast<float>(args.number("alpha")), beta = static_cast<float>(args.number("beta"));
    int64_t count = static_cast<int64_t>(args.number("count"));
    if (count < 1) throw ArgumentError("count must be positive; received " + std::to_string(count));
    float* x = args.floats("x", count);
    float* dy = args.floats("dy", count);
    float* dx = args.floats("dx", count);
    // TF.js's Relu gradient is dy * Step(x): NaN where x is NaN (oneDNN's makes it 0), one pass instead of two.
    // Two selects, then the product: the form GCC vectorizes (a nested conditional stays scalar, 15x slower).
    if (name == "relu") {
#pragma omp parallel for schedule(static) if (count >= kParallelMin)
      for (int64_t i = 0; i < count; i++) {
        float slope = x[i] > 0.f ? 1.f : 0.f;
        slope = x[i] != x[i] ? x[i] : slope;
        dx[i] = dy[i] * slope;
      }
      return info.Env().Undefined();
    }
    algorithm how = eltwiseAlgorithm(name);
    OneThreadIf oneThread(count < kParallelMin);
    memory::desc data = f32Dense({count});
    auto& entry = eltwiseGrads.get(key(name, alpha, beta, count), [&] {
      dnnl::eltwise_forward::primitive_desc hint(forwardDesc(how, count, alpha, beta), cpuEngine());
      dnnl::eltwise_backward::desc desc(how, data, data, alpha, beta);
      dnnl::eltwise_backward::primitive_desc pd(desc, cpuEngine(), hint);
      return EltwiseGrad{pd, dnnl::eltwise_backward(pd)};
    });
    entry.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, memory(data, cpuEngine(), x)},
                                          {DNNL_ARG_DIFF_DST, memory(data, cpuEngine(), dy)},
                                          {DNNL_ARG_DIFF_SRC, memory(data, cpuEngine(), dx)}});
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

// reluBiasGrad(rows, channels, y, dy, dx, dbias): the gradient of relu(z + bias) given its output y
// ([rows, channels]): dx = dy * Step(y) as unaryGrad's relu (y is positive exactly where z + bias is, and NaN
// where it is), and dbias = dx summed over the rows (in double, row by row), in the same pass. On the calling
// thread alone: at 2 threads the parallel pass measured slower on the toy ResNet's step (5.8-6.6 ms against
// 3.5-5.1 ms for its seven calls, profile_step.ts), the pass being bound by memory, not arithmetic.
Napi::Value ReluBiasGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "reluBiasGrad", [&] {
    Args args(info, "reluBiasGrad");
    int64_t rows = static_cast<int64_t>(args.number("rows"));
    int64_t channels = static_cast<int64_t>(args.number("channels"));
    if (rows < 1 || channels < 1) {
      throw ArgumentError("rows and channels must be positive; received " + std::to_string(rows) + " and " +
                          std::to_string(channels));
    }
    float* y = args.floats("y", rows * channels);
    float* dy = args.floats("dy", rows * channels);
    float* dx = args.floats("dx", rows * channels);
    float* dbias = args.floats("dbias", channels);
    std::vector<double> sum(static_cast<size_t>(channels), 0.0);
    for (int64_t r = 0; r < rows; r++) {
      const float* yr = y + r * channels;
      const float* dyr = dy + r * channels;
      float* dxr = dx + r * channels;
      for (int64_t c = 0; c < channels; c++) {
        float slope = yr[c] > 0.f ? 1.f : 0.f;
        slope = yr[c] != yr[c] ? yr[c] : slope;
        float v = dyr[c] * slope;
        dxr[c] = v;
        sum[c] += v;
      }
    }
    for (int64_t c = 0; c < channels; c++) dbias[c] = static_cast<float>(sum[c]);
    return info.Env().Undefined();
  });
}

// binary(name, aDims, bDims, a, b, out): out = a (op) b, b broadcast to a's dims (same rank, 1 where broadcast).
Napi::Value Binary(const Napi::CallbackInfo& info) {
  return guarded(info, "binary", [&] {
    Args args(info, "binary");
    std::string name = args.text("name");
    algorithm how = binaryAlgorithm(name);
    Dims aDims = args.ints("aDims"), bDims = args.ints("bDims");
    if (aDims.size() != bDims.size() || aDims.empty()) {
      throw ArgumentError("the operands must have one rank; received " + dimsText(aDims) + " and " + dimsText(bDims));
    }
    for (size_t i = 0; i < aDims.size(); i++) {
      if (aDims[i] < 1 || (bDims[i] != aDims[i] && bDims[i] != 1)) {
        throw ArgumentError(dimsText(bDims) + " does not broadcast to " + dimsText(aDims));
      }
    }
    float* a = args.floats("a", product(aDims));
    float* b = args.floats("b", product(bDims));
    float* out = args.floats("out", product(aDims));
    memory::desc aDesc = f32Dense(aDims), bDesc = f32Dense(bDims);
    OneThreadIf oneThread(product(aDims) < kParallelMin);
    auto& entry = binaries.get(key(name, aDims, bDims), [&] {
      dnnl::binary::primitive_desc pd(dnnl::binary::desc(how, aDesc, bDesc, aDesc), cpuEngine());
      return BinaryOp{pd, dnnl::binary(pd)};
    });
    entry.primitive.execute(cpuStream(), {{DNNL_ARG_SRC_0, memory(aDesc, cpuEngine(), a)},
                                          {DNNL_ARG_SRC_1, memory(bDesc, cpuEngine(), b)},
                                          {DNNL_ARG_DST, memory(aDesc, cpuEngine(), out)}});
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

// reduce(name, xDims, outDims, x, out): sum or mean over the axes where outDims is 1 and xDims is not.
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  return guarded(info, "reduce", [&] {
    Args args(info, "reduce");
    std::string name = args.text("name");
    algorithm how = reductionAlgorithm(name);
    Dims xDims = args.ints("xDims"), outDims = args.ints("outDims");
    if (xDims.size() != outDims.size() || xDims.empty()) {
      throw ArgumentError("the input and output must have one rank; received " + dimsText(xDims) + " and " + dimsText(outDims));
    }
    for (size_t i = 0; i < xDims.size(); i++) {
      if (xDims[i] < 1 || (outDims[i] != xDims[i] && outDims[i] != 1)) {
        throw ArgumentError(dimsText(xDims) + " does not reduce to " + dimsText(outDims));
      }
    }
    float* x = args.floats("x", product(xDims));
    float* out = args.floats("out", product(outDims));
    // Adjacent axes merged: one reduced block between kept ones is [outer, middle, inner].
    int64_t outer = 1, middle = 1, inner = 1;
    int phase = 0;  // 0: leading kept axes, 1: the reduced block, 2: trailing kept axes, 3: another reduced block
    for (size_t i = 0; i < xDims.size(); i++) {
      bool reduced = outDims[i] != xDims[i];
      if (phase == 0 && reduced) phase = 1;
      else if (phase == 1 && !reduced) phase = 2;
      else if (phase == 2 && reduced) phase = 3;
      (phase == 0 ? outer : phase == 1 ? middle : inner) *= xDims[i];
    }
    if (phase == 1 || phase == 2) {
      reduceMiddle(name == "mean", outer, middle, inner, x, out);
      return info.Env().Undefined();
    }
    memory::desc xDesc = f32Dense(xDims), outDesc = f32Dense(outDims);
    auto& entry = reductions.get(key(name, xDims, outDims), [&] {
      dnnl::reduction::primitive_desc pd(dnnl::reduction::desc(how, xDesc, outDesc, 0.f, 0.f), cpuEngine());
      return Reduction{pd, dnnl::reduction(pd)};
    });
    entry.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, memory(xDesc, cpuEngine(), x)},
                                          {DNNL_ARG_DST, memory(outDesc, cpuEngine(), out)}});
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
