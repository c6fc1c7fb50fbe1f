// NHWC (what the onednn backend gives oneDNN) against the layout oneDNN picks itself (format_tag::any:
// nChw16c, blocked) for the convolutions of toy-resnet and resnet-20, forward, backward-data and
// backward-weights (with bias), one thread, CPU time per call:
//   g++ -O2 -std=c++17 conv_formats.cc -ldnnl -o conv_formats && OMP_NUM_THREADS=1 ./conv_formats
#include <cstdio>
#include <ctime>
#include <vector>
#include "oneapi/dnnl/dnnl.hpp"
using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;
static double cpu_ms() { timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
engine eng(engine::kind::cpu, 0);
stream s(eng);
struct Shape { int n, h, w, c, oc, k, pad; };
template <typename F> double timeit(F f, int reps) { f(); f(); double t0 = cpu_ms(); for (int i = 0; i < reps; i++) f(); return (cpu_ms() - t0) / reps; }
void run(Shape sh, tag act) {
  int oh = sh.h + 2 * sh.pad - sh.k + 1, ow = sh.w + 2 * sh.pad - sh.k + 1;
  memory::dims src{sh.n, sh.c, sh.h, sh.w}, dst{sh.n, sh.oc, oh, ow}, wei{sh.oc, sh.c, sh.k, sh.k}, st{1, 1}, pd{sh.pad, sh.pad};
  auto sd = memory::desc(src, dt::f32, act), dd = memory::desc(dst, dt::f32, act), wd = memory::desc(wei, dt::f32, tag::any);
  convolution_forward::desc fd(prop_kind::forward_training, algorithm::convolution_direct, sd, wd, memory::desc({sh.oc}, dt::f32, tag::a), dd, st, pd, pd);
  convolution_forward::primitive_desc fpd(fd, eng);
  memory S(fpd.src_desc(), eng), W(fpd.weights_desc(), eng), B(fpd.bias_desc(), eng), D(fpd.dst_desc(), eng);
  convolution_forward fwd(fpd);
  double f = timeit([&] { fwd.execute(s, {{DNNL_ARG_SRC, S}, {DNNL_ARG_WEIGHTS, W}, {DNNL_ARG_BIAS, B}, {DNNL_ARG_DST, D}}); s.wait(); }, 10);
  convolution_backward_data::desc bd(algorithm::convolution_direct, sd, wd, dd, st, pd, pd);
  convolution_backward_data::primitive_desc bpd(bd, eng, fpd);
  memory DS(bpd.diff_src_desc(), eng), DD(bpd.diff_dst_desc(), eng), W2(bpd.weights_desc(), eng);
  convolution_backward_data bwd(bpd);
  double b = timeit([&] { bwd.execute(s, {{DNNL_ARG_DIFF_DST, DD}, {DNNL_ARG_WEIGHTS, W2}, {DNNL_ARG_DIFF_SRC, DS}}); s.wait(); }, 10);
  convolution_backward_weights::desc wdsc(algorithm::convolution_direct, sd, wd, memory::desc({sh.oc}, dt::f32, tag::a), dd, st, pd, pd);
  convolution_backward_weights::primitive_desc wpd(wdsc, eng, fpd);
  memory DW(wpd.diff_weights_desc(), eng), DB(wpd.diff_bias_desc(), eng), S3(wpd.src_desc(), eng), DD3(wpd.diff_dst_desc(), eng);
  convolution_backward_weights bww(wpd);
  double w = timeit([&] { bww.execute(s, {{DNNL_ARG_SRC, S3}, {DNNL_ARG_DIFF_DST, DD3}, {DNNL_ARG_DIFF_WEIGHTS, DW}, {DNNL_ARG_DIFF_BIAS, DB}}); s.wait(); }, 10);
  double gflop = 2.0 * sh.n * oh * ow * sh.oc * sh.c * sh.k * sh.k / 1e9;
  printf("%dx%dx%dx%d->%d k%d %s: fwd %.2f ms (%.0f GF/s, %s) bwd_d %.2f (%.0f, %s) bwd_w+bias %.2f (%.0f, %s)\n", sh.n, sh.h, sh.w, sh.c, sh.oc, sh.k,
         act == tag::nhwc ? "nhwc" : act == tag::any ? "any" : "nChw16c", f, gflop / f * 1e3, fpd.impl_info_str(), b, gflop / b * 1e3, bpd.impl_info_str(), w, gflop / w * 1e3, wpd.impl_info_str());
}
int main() {
  Shape shapes[] = {{64, 32, 32, 3, 32, 3, 0}, {64, 30, 30, 32, 64, 3, 0}, {64, 9, 9, 64, 64, 3, 1}, {64, 9, 9, 64, 64, 3, 0},
                    {64, 32, 32, 16, 16, 3, 1}, {64, 16, 16, 32, 32, 3, 1}, {64, 8, 8, 64, 64, 3, 1}};
  for (auto sh : shapes) for (tag t : {tag::nhwc, tag::any}) run(sh, t);
}
