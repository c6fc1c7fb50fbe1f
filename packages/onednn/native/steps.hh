// The single primitives the fused ops (fused.cc) chain inside one call: each
// runs on the same cached primitive as the op of its name (conv.cc,
// batch_norm.cc), on buffers the caller has checked.
#pragma once
#include "geometry.hh"

namespace tfjs_onednn {

/** out = activation(conv(x, filter) + bias); bias may be nullptr. */
void convForward(const ConvShape& s, const std::string& activation, float alpha, float* x, float* filter, float* bias,
                 float* out);
/** dx of a convolution from its output's gradient dy. */
void convBackwardData(const ConvShape& s, float* dy, float* filter, float* dx);
/** dfilter (in TF.js's HWIO layout) of a convolution from its input x and its output's gradient dy. */
void convBackwardWeights(const ConvShape& s, float* x, float* dy, float* dfilter);

/** Batch norm of [rows, channels] data on the batch's statistics: y, and the mean and biased variance. */
void batchNormForwardTraining(int64_t rows, int64_t channels, double epsilon, float* x, float* gamma, float* beta,
                              float* y, float* mean, float* variance);
/** The gradient of batchNormForwardTraining through the batch statistics: dx, dgamma, dbeta. */
void batchNormBackward(int64_t rows, int64_t channels, double epsilon, float* dy, float* x, float* mean,
                       float* variance, float* gamma, float* dx, float* dgamma, float* dbeta);

}  // namespace tfjs_onednn
