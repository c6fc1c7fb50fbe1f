// What every op file shares: the engine and stream, the argument readers
// that check every buffer against the shape it must hold, a bounded cache of
// primitives by shape, and the one error path from C++ to a JS exception.
#pragma once

#include <napi.h>

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace tfjs_onednn {

using dnnl::memory;
using Dims = memory::dims;

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

/** An error whose message is shown to the user as is (a shape or argument problem the JS side missed). */
struct ArgumentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** "[2,3,4]" */
std::string dimsText(const Dims& dims);
int64_t product(const Dims& dims);

/** Reads JS call arguments in order, checking each as it goes. */
class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* op) : info_(info), op_(op) {}
  /** A Float32Array of exactly `count` elements; its memory, not a copy. */
  float* floats(const char* name, int64_t count);
  /** As floats, or nullptr when the argument is null. */
  float* optionalFloats(const char* name, int64_t count);
  /** An array of integers (dims, strides, parameters). */
  std::vector<int64_t> ints(const char* name);
  double number(const char* name);
  bool boolean(const char* name);
  std::string text(const char* name);

 private:
  const Napi::Value next(const char* name);
  const Napi::CallbackInfo& info_;
  const char* op_;
  size_t at_ = 0;
};

/**
 * Primitives by a key of their shapes and settings, the least recently used
 * dropped past `capacity`: building a primitive descriptor costs more than a
 * small convolution, and a training step asks for the same ones every time.
 */
template <typename Entry>
class PrimitiveCache {
 public:
  explicit PrimitiveCache(size_t capacity = 256) : capacity_(capacity) {}
  Entry& get(const std::string& key, const std::function<Entry()>& make) {
    auto found = index_.find(key);
    if (found != index_.end()) {
      order_.splice(order_.begin(), order_, found->second);
      return found->second->second;
    }
    order_.emplace_front(key, make());
    index_[key] = order_.begin();
    if (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return order_.front().second;
  }
  size_t size() const { return order_.size(); }
  void clear() {
    index_.clear();
    order_.clear();
  }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, Entry>> order_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, Entry>>::iterator> index_;
};

/** Every cache registers its clear here, so `clearCaches()` frees all primitives at once. */
void onClearCaches(std::function<void()> clear);
void clearAllCaches();
size_t cachedPrimitives();
void countCached(std::function<size_t()> count);

std::ostream& operator<<(std::ostream& out, const Dims& dims);

/** Builds a key from any streamable values. */
template <typename... T>
std::string key(const T&... parts) {
  std::ostringstream out;
  ((out << parts << '|'), ...);
  return out.str();
}

/** Plain row-major strides of `dims`. */
Dims denseStrides(const Dims& dims);
/** A memory descriptor for float32 data with explicit strides. */
memory::desc f32(const Dims& dims, const Dims& strides);
memory::desc f32Dense(const Dims& dims);

/**
 * Runs `body` (which reads its arguments and executes), turning any C++
 * failure into a JS Error that names the op: the one error path.
 */
Napi::Value guarded(const Napi::CallbackInfo& info, const char* op, const std::function<Napi::Value()>& body);

/**
 * A reorder between the user's format and the one a primitive chose, built
 * once with its primitive (a reorder's own descriptor costs as much as a
 * small convolution) and holding the scratch it writes.
 */
class Reorder {
 public:
  Reorder() = default;
  /** Between the user's format and the primitive's: into it (`in`), or, `toUser`, back out of it (`target`, `out`). */
  Reorder(const memory::desc& user, const memory::desc& primitive, bool toUser = false);
  /** `user` as the primitive wants it: the user's memory itself when the formats agree, else converted into scratch. */
  memory in(const memory& user);
  /** Where the primitive writes (scratch, or the user's memory itself); `out` copies it to the user's memory after. */
  memory target(const memory& user);
  void out(const memory& user);

 private:
  bool needed_ = false;
  memory scratch_;
  dnnl::reorder primitive_;
};

/** Below this many elements an element-wise op runs on one thread: the work is less than a parallel region costs. */
constexpr int64_t kParallelMin = 65536;

/**
 * While it lives, oneDNN's element-wise primitives (which take their thread
 * count when they run) run on the calling thread alone, when `small`: on a
 * busy machine a parallel region waits until every one of its threads gets a
 * core, which for the hundreds of per-channel vectors of a training step
 * (optimizer and batch-norm statistics) cost more than their arithmetic.
 */
class OneThreadIf {
 public:
  explicit OneThreadIf(bool small);
  ~OneThreadIf();
  OneThreadIf(const OneThreadIf&) = delete;
  OneThreadIf& operator=(const OneThreadIf&) = delete;

 private:
  int restore_;
};

/** A post-op for a fused activation by name ("linear" adds none); alpha as Keras/TF.js give it. */
dnnl::post_ops activationPostOps(const std::string& activation, float alpha);

}  // namespace tfjs_onednn
