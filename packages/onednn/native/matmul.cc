// Batched matrix products (MatMul, BatchMatMul, _FusedMatMul) on oneDNN's
// matmul: transposition is expressed as strides, so nothing is copied.
#include "ops.hh"

namespace tfjs_onednn {
namespace {

struct Product {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul primitive;
};
PrimitiveCache<Product> products;
[[maybe_unused]] const bool registered = [] {
  onClearCaches([] { products.clear(); });
  countCached([] { return products.size(); });
  return true;
}();

}  // namespace

// matMul(shape [batchA, batchB, m, n, k, transposeA, transposeB], activation, alpha, a, b, bias | null, out):
// out[i] = activation(a[i] b[i] + bias), a batch of 1 broadcast over the other.
Napi::Value MatMul(const Napi::CallbackInfo& info) {
  return guarded(info, "matMul", [&] {
    Args args(info, "matMul");
    auto p = args.ints("shape");
    if (p.size() != 7) throw ArgumentError("shape must hold 7 integers, received " + std::to_string(p.size()));
    int64_t batchA = p[0], batchB = p[1], m = p[2], n = p[3], k = p[4];
    bool transposeA = p[5] != 0, transposeB = p[6] != 0;
    if (batchA < 1 || batchB < 1 || m < 1 || n < 1 || k < 1) throw ArgumentError("shape " + dimsText(p) + " has a zero or negative size");
    if (batchA != batchB && batchA != 1 && batchB != 1) {
      throw ArgumentError("batches " + std::to_string(batchA) + " and " + std::to_string(batchB) + " do not broadcast");
    }
    int64_t batch = std::max(batchA, batchB);
    std::string activation = args.text("activation");
    float alpha = static_cast<float>(args.number("alpha"));
    float* a = args.floats("a", batchA * m * k);
    float* b = args.floats("b", batchB * k * n);
    float* bias = args.optionalFloats("bias", n);
    float* out = args.floats("out", batch * m * n);
    memory::desc aDesc = f32({batchA, m, k}, transposeA ? Dims{m * k, 1, m} : Dims{m * k, k, 1});
    memory::desc bDesc = f32({batchB, k, n}, transposeB ? Dims{k * n, 1, k} : Dims{k * n, n, 1});
    memory::desc outDesc = f32Dense({batch, m, n});
    memory::desc biasDesc = f32Dense({1, 1, n});
    auto& entry = products.get(key(dimsText(p), bias != nullptr, activation, alpha), [&] {
      dnnl::primitive_attr attr;
      attr.set_post_ops(activationPostOps(activation, alpha));
      dnnl::matmul::desc desc = bias != nullptr ? dnnl::matmul::desc(aDesc, bDesc, biasDesc, outDesc)
                                                : dnnl::matmul::desc(aDesc, bDesc, outDesc);
      dnnl::matmul::primitive_desc pd(desc, attr, cpuEngine());
      return Product{pd, dnnl::matmul(pd)};
    });
    auto& engine = cpuEngine();
    std::unordered_map<int, memory> run{{DNNL_ARG_SRC, memory(aDesc, engine, a)},
                                        {DNNL_ARG_WEIGHTS, memory(bDesc, engine, b)},
                                        {DNNL_ARG_DST, memory(outDesc, engine, out)}};
    if (bias != nullptr) run.insert({DNNL_ARG_BIAS, memory(biasDesc, engine, bias)});
    entry.primitive.execute(cpuStream(), run);
    cpuStream().wait();
    return info.Env().Undefined();
  });
}

}  // namespace tfjs_onednn
