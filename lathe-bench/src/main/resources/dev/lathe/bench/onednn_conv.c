/* A thin C shim over oneDNN's C API: one fp32 forward convolution (optionally with bias and a
 * fused ReLU post-op) on the caller's plain NHWC or NCHW buffers. The weights are reordered once,
 * at prepare time, into the layout oneDNN prefers (as frameworks do with constant weights), so
 * that only the convolution itself is timed. Built by the benchmark with the system compiler. */
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdlib.h>

typedef struct {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_t conv;
    dnnl_memory_t src, weights, bias, dst;
    int has_bias;
} lathe_onednn_conv;

#define CHECK(x) do { dnnl_status_t s_ = (x); if (s_ != dnnl_success) { *status = (int) s_; return NULL; } } while (0)

/* layout: 0 = NHWC (weights HWIO; grouped: HWIGO), 1 = NCHW (weights OIHW; grouped: GOIHW).
 * groups > 1 makes a grouped (depthwise when groups = ci = co) convolution.
 * Returns NULL and sets *status on error. */
void *lathe_onednn_conv_prepare(int layout, int n, int h, int w, int ci, int co, int kh, int kw,
                                int stride, int pad, int groups, int bias_relu, const float *user_weights,
                                int *status) {
    lathe_onednn_conv *c = calloc(1, sizeof *c);
    *status = 0;
    int oh = (h + 2 * pad - kh) / stride + 1, ow = (w + 2 * pad - kw) / stride + 1;
    dnnl_dims_t src_dims = {n, ci, h, w}, b_dims = {co}, dst_dims = {n, co, oh, ow};
    dnnl_dims_t w_dims = {co, ci, kh, kw}, g_dims = {groups, co / groups, ci / groups, kh, kw};
    int w_nd = groups > 1 ? 5 : 4;
    const int64_t *w_shape = groups > 1 ? g_dims : w_dims;
    dnnl_dims_t strides = {stride, stride}, padding = {pad, pad};
    dnnl_format_tag_t act = layout == 0 ? dnnl_nhwc : dnnl_nchw;
    dnnl_format_tag_t wtag = groups > 1 ? (layout == 0 ? dnnl_hwigo : dnnl_goihw) : (layout == 0 ? dnnl_hwio : dnnl_oihw);
    dnnl_memory_desc_t src_md, dst_md, b_md, w_any, w_user;
    CHECK(dnnl_engine_create(&c->engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&c->stream, c->engine, dnnl_stream_default_flags));
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 4, src_dims, dnnl_f32, act));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 4, dst_dims, dnnl_f32, act));
    CHECK(dnnl_memory_desc_init_by_tag(&b_md, 1, b_dims, dnnl_f32, dnnl_x));
    CHECK(dnnl_memory_desc_init_by_tag(&w_any, w_nd, w_shape, dnnl_f32, dnnl_format_tag_any));
    CHECK(dnnl_memory_desc_init_by_tag(&w_user, w_nd, w_shape, dnnl_f32, wtag));
    dnnl_convolution_desc_t cd;
    CHECK(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct, &src_md,
                                             &w_any, bias_relu ? &b_md : NULL, &dst_md, strides, padding, padding));
    dnnl_primitive_attr_t attr;
    CHECK(dnnl_primitive_attr_create(&attr));
    if (bias_relu) {
        dnnl_post_ops_t po;
        CHECK(dnnl_post_ops_create(&po));
        CHECK(dnnl_post_ops_append_eltwise(po, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f));
        CHECK(dnnl_primitive_attr_set_post_ops(attr, po));
        dnnl_post_ops_destroy(po);
    }
    dnnl_primitive_desc_t pd;
    CHECK(dnnl_primitive_desc_create(&pd, &cd, attr, c->engine, NULL));
    dnnl_primitive_attr_destroy(attr);
    CHECK(dnnl_primitive_create(&c->conv, pd));
    const dnnl_memory_desc_t *w_pref = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    CHECK(dnnl_memory_create(&c->src, &src_md, c->engine, NULL));
    CHECK(dnnl_memory_create(&c->dst, &dst_md, c->engine, NULL));
    CHECK(dnnl_memory_create(&c->bias, &b_md, c->engine, NULL));
    CHECK(dnnl_memory_create(&c->weights, w_pref, c->engine, DNNL_MEMORY_ALLOCATE));
    dnnl_memory_t user;
    CHECK(dnnl_memory_create(&user, &w_user, c->engine, (void *) user_weights));
    dnnl_primitive_desc_t rpd;
    dnnl_primitive_t reorder;
    CHECK(dnnl_reorder_primitive_desc_create(&rpd, &w_user, c->engine, w_pref, c->engine, NULL));
    CHECK(dnnl_primitive_create(&reorder, rpd));
    dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, c->weights}};
    CHECK(dnnl_primitive_execute(reorder, c->stream, 2, rargs));
    CHECK(dnnl_stream_wait(c->stream));
    dnnl_primitive_destroy(reorder);
    dnnl_primitive_desc_destroy(rpd);
    dnnl_primitive_desc_destroy(pd);
    dnnl_memory_destroy(user);
    c->has_bias = bias_relu;
    return c;
}

int lathe_onednn_conv_run(void *handle, int threads, float *src, float *bias, float *dst) {
    lathe_onednn_conv *c = handle;
    omp_set_num_threads(threads);
    dnnl_memory_set_data_handle(c->src, src);
    dnnl_memory_set_data_handle(c->dst, dst);
    int nargs = 3;
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, c->src}, {DNNL_ARG_WEIGHTS, c->weights}, {DNNL_ARG_DST, c->dst}};
    if (c->has_bias) {
        dnnl_memory_set_data_handle(c->bias, bias);
        args[nargs++] = (dnnl_exec_arg_t) {DNNL_ARG_BIAS, c->bias};
    }
    dnnl_status_t s = dnnl_primitive_execute(c->conv, c->stream, nargs, args);
    if (s != dnnl_success) return (int) s;
    return (int) dnnl_stream_wait(c->stream);
}
