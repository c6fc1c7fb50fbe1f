// Slice and Pad: strided copies of NHWC-style data, one contiguous run of the
// last axis at a time, split across threads by rows.
#include <algorithm>
#include <cstring>

#include "ops.hh"

namespace tfjs_onednn {
namespace {

/** The offset in a dense tensor of `dims` of the row `row` (a flat index over every axis but the last), shifted by `shift`. */
int64_t rowOffset(int64_t row, const Dims& rows, const Dims& dims, const Dims& shift) {
  int64_t offset = 0, stride = dims.back();
  for (int axis = static_cast<int>(rows.size()) - 1; axis >= 0; axis--) {
    int64_t index = row % rows[axis];
    row /= rows[axis];
    offset += (index + shift[axis]) * stride;
    stride *= dims[axis];
  }
  return offset + shift.back();
}

void checkRank(const Dims& dims, const char* what) {
  if (dims.empty() || dims.size() > 8) throw ArgumentError(std::string(what) + " must have rank 1 to 8; received " + dimsText(dims));
  for (auto d : dims) {
    if (d < 1) throw ArgumentError(std::string(what) + " has an empty or negative axis: " + dimsText(dims));
  }
}

}  // namespace

// slice(xDims, begin, size, x, out): out = x[begin : begin + size] on every axis.
Napi::Value Slice(const Napi::CallbackInfo& info) {
  return guarded(info, "slice", [&] {
    Args args(info, "slice");
    Dims xDims = args.ints("xDims"), begin = args.ints("begin"), size = args.ints("size");
    checkRank(xDims, "x");
    checkRank(size, "size");
    if (begin.size() != xDims.size() || size.size() != xDims.size()) throw ArgumentError("begin and size must have x's rank");
    for (size_t i = 0; i < xDims.size(); i++) {
      if (begin[i] < 0 || begin[i] + size[i] > xDims[i]) {
        throw ArgumentError("slice begin " + dimsText(begin) + " size " + dimsText(size) + " leaves x " + dimsText(xDims));
      }
    }
    const float* x = args.floats("x", product(xDims));
    float* out = args.floats("out", product(size));
    Dims rows(size.begin(), size.end() - 1);
    int64_t count = product(rows), run = size.back();
    Dims zero(size.size(), 0);
#pragma omp parallel for schedule(static) if (count * run > 65536)
    for (int64_t row = 0; row < count; row++) {
      std::memcpy(out + row * run, x + rowOffset(row, rows, xDims, begin), run * sizeof(float));
    }
    return info.Env().Undefined();
  });
}

// pad(xDims, before, after, value, x, out): x with `before` and `after` cells of `value` around it on every axis.
Napi::Value Pad(const Napi::CallbackInfo& info) {
  return guarded(info, "pad", [&] {
    Args args(info, "pad");
    Dims xDims = args.ints("xDims"), before = args.ints("before"), after = args.ints("after");
    checkRank(xDims, "x");
    if (before.size() != xDims.size() || after.size() != xDims.size()) throw ArgumentError("before and after must have x's rank");
    Dims outDims(xDims.size());
    for (size_t i = 0; i < xDims.size(); i++) {
      if (before[i] < 0 || after[i] < 0) throw ArgumentError("padding must not be negative: " + dimsText(before) + ", " + dimsText(after));
      outDims[i] = before[i] + xDims[i] + after[i];
    }
    float value = static_cast<float>(args.number("value"));
    const float* x = args.floats("x", product(xDims));
    float* out = args.floats("out", product(outDims));
    int64_t total = product(outDims);
    Dims rows(xDims.begin(), xDims.end() - 1);
    int64_t count = product(rows), run = xDims.back();
#pragma omp parallel
    {
#pragma omp for schedule(static)
      for (int64_t i = 0; i < total; i++) out[i] = value;
#pragma omp for schedule(static)
      for (int64_t row = 0; row < count; row++) {
        std::memcpy(out + rowOffset(row, rows, outDims, before), x + row * run, run * sizeof(float));
      }
    }
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
