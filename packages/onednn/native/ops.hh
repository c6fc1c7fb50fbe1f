// The table of operations the addon exports; each is defined in the file of its family.
#pragma once
#include "common.hh"

namespace tfjs_onednn {

Napi::Value Conv2D(const Napi::CallbackInfo& info);
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info);
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info);
Napi::Value ConvImplementation(const Napi::CallbackInfo& info);

Napi::Value MatMul(const Napi::CallbackInfo& info);

Napi::Value Pool(const Napi::CallbackInfo& info);
Napi::Value PoolGrad(const Napi::CallbackInfo& info);

Napi::Value BatchNormTrain(const Napi::CallbackInfo& info);
Napi::Value MovingAverages(const Napi::CallbackInfo& info);
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info);
Napi::Value BatchNormInference(const Napi::CallbackInfo& info);

Napi::Value ConvBatchNorm(const Napi::CallbackInfo& info);
Napi::Value ConvBatchNormGrad(const Napi::CallbackInfo& info);

Napi::Value Unary(const Napi::CallbackInfo& info);
Napi::Value UnaryGrad(const Napi::CallbackInfo& info);
Napi::Value ReluBiasGrad(const Napi::CallbackInfo& info);
Napi::Value Binary(const Napi::CallbackInfo& info);
Napi::Value Reduce(const Napi::CallbackInfo& info);

Napi::Value Slice(const Napi::CallbackInfo& info);
Napi::Value Pad(const Napi::CallbackInfo& info);

Napi::Value AdamUpdate(const Napi::CallbackInfo& info);
Napi::Value MomentumUpdate(const Napi::CallbackInfo& info);

}  // namespace tfjs_onednn
