// Batch normalization over every axis but the last (data seen as [rows, channels]):
// training forward with the batch statistics, its gradient, and inference.
#include <tuple>

#include "ops.hh"
#include "steps.hh"

namespace tfjs_onednn {
namespace {

using dnnl::normalization_flags;
using dnnl::prop_kind;

struct Forward {
  dnnl::batch_normalization_forward::primitive_desc pd;
  dnnl::batch_normalization_forward primitive;
};
struct Backward {
  dnnl::batch_normalization_backward::primitive_desc pd;
  dnnl::batch_normalization_backward primitive;
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

/**
 * [rows, channels] as 4D NHWC data with one pixel per row: the layout
 * oneDNN's JIT batch norm takes (2D data falls to a reference implementation).
 */
memory::desc rowsDesc(int64_t rows, int64_t channels) { return f32({rows, channels, 1, 1}, {channels, 1, channels, channels}); }

/**
 * kOneThreadStatistics: the training passes (batch statistics and their
 * gradient) run on one thread. oneDNN 2.6's JIT batch norm joins its threads
 * for the per-channel sums with a spinning barrier: on a machine whose cores
 * other processes share, a thread waits out its whole time slice for one that
 * is not running (ResNet-20 at 2 threads under load 19: 283 ms of CPU a step
 * in the forward pass against 13 ms on one thread, profile_step.ts). Those
 * passes are a few percent of a step on one thread; inference has no such
 * barrier and keeps every thread.
 */
const normalization_flags scaleShift = normalization_flags::use_scale | normalization_flags::use_shift;

dnnl::batch_normalization_forward::desc trainingDesc(const memory::desc& data, float epsilon) {
  return dnnl::batch_normalization_forward::desc(prop_kind::forward_training, data, epsilon, scaleShift);
}

/** The [rows, channels] shape and epsilon every batch-norm op starts with, checked. */
std::tuple<int64_t, int64_t, double> readSize(Args& args) {
  auto shape = args.ints("shape");
  if (shape.size() != 2) throw ArgumentError("shape must be [rows, channels]; received " + dimsText(shape));
  int64_t rows = shape[0], channels = shape[1];
  double epsilon = args.number("epsilon");
  if (rows < 1 || channels < 1) {
    throw ArgumentError("rows and channels must be positive; received " + std::to_string(rows) + ", " +
                        std::to_string(channels));
  }
  if (!(epsilon >= 0)) throw ArgumentError("epsilon must be a number >= 0; received " + std::to_string(epsilon));
  return {rows, channels, epsilon};
}

}  // namespace

void batchNormForwardTraining(int64_t rows, int64_t channels, double epsilon, float* x, float* gamma, float* beta,
                              float* y, float* mean, float* variance) {
  memory::desc data = rowsDesc(rows, channels), perChannel = f32Dense({channels});
  OneThreadIf oneThread(true);  // see kOneThreadStatistics
  auto& entry = forwards.get(key("train", rows, channels, epsilon), [&] {
    dnnl::batch_normalization_forward::primitive_desc pd(trainingDesc(data, static_cast<float>(epsilon)), cpuEngine());
    return Forward{pd, dnnl::batch_normalization_forward(pd)};
  });
  auto& engine = cpuEngine();
  entry.primitive.execute(cpuStream(), {{DNNL_ARG_SRC, memory(data, engine, x)},
                                        {DNNL_ARG_SCALE, memory(perChannel, engine, gamma)},
                                        {DNNL_ARG_SHIFT, memory(perChannel, engine, beta)},
                                        {DNNL_ARG_DST, memory(data, engine, y)},
                                        {DNNL_ARG_MEAN, memory(perChannel, engine, mean)},
                                        {DNNL_ARG_VARIANCE, memory(perChannel, engine, variance)}});
  cpuStream().wait();
}

void batchNormBackward(int64_t rows, int64_t channels, double epsilon, float* dy, float* x, float* mean,
                       float* variance, float* gamma, float* dx, float* dgamma, float* dbeta) {
  memory::desc data = rowsDesc(rows, channels), perChannel = f32Dense({channels});
  OneThreadIf oneThread(true);  // see kOneThreadStatistics
  auto& entry = backwards.get(key("grad", rows, channels, epsilon), [&] {
    float eps = static_cast<float>(epsilon);
    dnnl::batch_normalization_forward::primitive_desc hint(trainingDesc(data, eps), cpuEngine());
    dnnl::batch_normalization_backward::desc desc(prop_kind::backward, data, data, eps, scaleShift);
    dnnl::batch_normalization_backward::primitive_desc pd(desc, cpuEngine(), hint);
    return Backward{pd, dnnl::batch_normalization_backward(pd)};
  });
  auto& engine = cpuEngine();
  entry.primitive.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(data, engine, dy)},
                                        {DNNL_ARG_SRC, memory(data, engine, x)},
                                        {DNNL_ARG_MEAN, memory(perChannel, engine, mean)},
                                        {DNNL_ARG_VARIANCE, memory(perChannel, engine, variance)},
                                        {DNNL_ARG_SCALE, memory(perChannel, engine, gamma)},
                                        {DNNL_ARG_SHIFT, memory(perChannel, engine)},
                                        {DNNL_ARG_DIFF_SRC, memory(data, engine, dx)},
                                        {DNNL_ARG_DIFF_SCALE, memory(perChannel, engine, dgamma)},
                                        {DNNL_ARG_DIFF_SHIFT, memory(perChannel, engine, dbeta)}});
  cpuStream().wait();
}

// batchNormTrain([rows, channels], epsilon, x, gamma, beta, y, mean, variance): y = gamma (x - mean) / sqrt(variance + epsilon) + beta
// with the batch's mean and biased variance per channel.
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  return guarded(info, "batchNormTrain", [&] {
    Args args(info, "batchNormTrain");
    auto [rows, channels, epsilon] = readSize(args);
    float* x = args.floats("x", rows * channels);
    float* gamma = args.floats("gamma", channels);
    float* beta = args.floats("beta", channels);
    float* y = args.floats("y", rows * channels);
    float* mean = args.floats("mean", channels);
    float* variance = args.floats("variance", channels);
    batchNormForwardTraining(rows, channels, epsilon, x, gamma, beta, y, mean, variance);
    return info.Env().Undefined();
  });
}

// batchNormTrainGrad([rows, channels], epsilon, dy, x, mean, variance, gamma, dx, dgamma, dbeta):
// the gradient of batchNormTrain through the batch statistics.
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  return guarded(info, "batchNormTrainGrad", [&] {
    Args args(info, "batchNormTrainGrad");
    auto [rows, channels, epsilon] = readSize(args);
    float* dy = args.floats("dy", rows * channels);
    float* x = args.floats("x", rows * channels);
    float* mean = args.floats("mean", channels);
    float* variance = args.floats("variance", channels);
    float* gamma = args.floats("gamma", channels);
    float* dx = args.floats("dx", rows * channels);
    float* dgamma = args.floats("dgamma", channels);
    float* dbeta = args.floats("dbeta", channels);
    batchNormBackward(rows, channels, epsilon, dy, x, mean, variance, gamma, dx, dgamma, dbeta);
    return info.Env().Undefined();
  });
}

// movingAverages(channels, decay, movingMean, movingVariance, mean, variance, outMean, outVariance): each moving
// statistic's training update, moving - (moving - batch) * decay, in float32 and in tfjs-layers' order of operations.
Napi::Value MovingAverages(const Napi::CallbackInfo& info) {
  return guarded(info, "movingAverages", [&] {
    Args args(info, "movingAverages");
    int64_t channels = static_cast<int64_t>(args.number("channels"));
    if (channels < 1) throw ArgumentError("channels must be positive; received " + std::to_string(channels));
    const float decay = static_cast<float>(args.number("decay"));
    const float* moving[2] = {args.floats("movingMean", channels), args.floats("movingVariance", channels)};
    const float* batch[2] = {args.floats("mean", channels), args.floats("variance", channels)};
    float* out[2] = {args.floats("outMean", channels), args.floats("outVariance", channels)};
    for (int s = 0; s < 2; s++) {
      for (int64_t c = 0; c < channels; c++) out[s][c] = moving[s][c] - (moving[s][c] - batch[s][c]) * decay;
    }
    return info.Env().Undefined();
  });
}

// batchNormInference([rows, channels], epsilon, x, mean, variance, gamma | null, beta | null, y): with given statistics.
Napi::Value BatchNormInference(const Napi::CallbackInfo& info) {
  return guarded(info, "batchNormInference", [&] {
    Args args(info, "batchNormInference");
    int64_t rows, channels;
    double epsilon;
    std::tie(rows, channels, epsilon) = readSize(args);  // not a structured binding: lambdas below capture these
    float* x = args.floats("x", rows * channels);
    float* mean = args.floats("mean", channels);
    float* variance = args.floats("variance", channels);
    float* gamma = args.optionalFloats("gamma", channels);
    float* beta = args.optionalFloats("beta", channels);
    float* y = args.floats("y", rows * channels);
    memory::desc data = rowsDesc(rows, channels), perChannel = f32Dense({channels});
    normalization_flags flags = normalization_flags::use_global_stats;
    if (gamma != nullptr) flags |= normalization_flags::use_scale;
    if (beta != nullptr) flags |= normalization_flags::use_shift;
    auto& entry = forwards.get(key("inference", rows, channels, epsilon, gamma != nullptr, beta != nullptr), [&] {
      dnnl::batch_normalization_forward::desc desc(prop_kind::forward_inference, data, static_cast<float>(epsilon), flags);
      dnnl::batch_normalization_forward::primitive_desc pd(desc, cpuEngine());
      return Forward{pd, dnnl::batch_normalization_forward(pd)};
    });
    auto& engine = cpuEngine();
    std::unordered_map<int, memory> run{{DNNL_ARG_SRC, memory(data, engine, x)},
                                        {DNNL_ARG_MEAN, memory(perChannel, engine, mean)},
                                        {DNNL_ARG_VARIANCE, memory(perChannel, engine, variance)},
                                        {DNNL_ARG_DST, memory(data, engine, y)}};
    if (gamma != nullptr) run.insert({DNNL_ARG_SCALE, memory(perChannel, engine, gamma)});
    if (beta != nullptr) run.insert({DNNL_ARG_SHIFT, memory(perChannel, engine, beta)});
    entry.primitive.execute(cpuStream(), run);
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
