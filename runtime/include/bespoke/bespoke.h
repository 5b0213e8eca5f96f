/*
 * bespoke.h: the stable C API of the Bespoke inference runtime.
 *
 * Model:   a verified, immutable .bspk model (memory-mapped or caller memory).
 * Session: everything needed to run a model: kernels with packed weights,
 *          one memory arena planned at creation, a thread pool, a profile.
 *
 * Every function that can fail returns a bsp_status (marked BSP_NODISCARD);
 * on failure a one-line message for the calling thread is available from
 * bsp_last_error_message(). No C++ exception ever crosses this API. Handles
 * are not thread-safe: use one session per thread (sessions may share one
 * model).
 *
 * NULL: every function says which pointer arguments may be NULL. A NULL
 * where none is allowed gives BSP_ERROR_INVALID_ARGUMENT and a message (or,
 * for functions returning a count or a string, 0 or "").
 *
 * Structs that may grow (bsp_session_options in, bsp_tensor_info and
 * bsp_profile_entry out) start with struct_size: the caller sets it to the
 * sizeof it was compiled with, and the library reads or writes only that
 * many bytes, so a program built against an older, shorter struct keeps
 * working with a newer library.
 *
 * Typical use:
 *   bsp_model* m; bsp_session* s; bsp_session_options o;
 *   bsp_model_load_file("m.bspk", &m);          (check every bsp_status)
 *   bsp_session_options_init(&o); o.num_threads = 2;
 *   bsp_session_create(m, &o, &s);
 *   bsp_session_set_input(s, 0, pixels, sizeof pixels);
 *   bsp_session_run(s);
 *   bsp_session_get_output(s, 0, &data, &size);
 */
#ifndef BESPOKE_BESPOKE_H_
#define BESPOKE_BESPOKE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(BSP_BUILDING_LIBRARY) && defined(__GNUC__)
#define BSP_EXPORT __attribute__((visibility("default")))
#else
#define BSP_EXPORT
#endif

/* A returned bsp_status must be looked at: ignoring one hides a failed load
   or run. GCC and Clang warn (C and C++); elsewhere it expands to nothing. */
#if defined(__GNUC__) || defined(__clang__)
#define BSP_NODISCARD __attribute__((warn_unused_result))
#else
#define BSP_NODISCARD
#endif

/* Version of this header's API. Bumped on any change.
   2: bsp_tensor_info and bsp_profile_entry start with struct_size (ABI change
      from 1); BSP_NODISCARD; bsp_session_backend_count / _usage. */
#define BSP_API_VERSION 2
/* Runtime version: major * 10000 + minor * 100 + patch. */
#define BSP_RUNTIME_VERSION 200
#define BSP_MAX_RANK 6

typedef enum bsp_status {
  BSP_OK = 0,
  BSP_ERROR_INVALID_ARGUMENT = 1, /* a NULL handle, an index out of range, a size mismatch */
  BSP_ERROR_IO = 2,               /* the file cannot be opened, read or mapped */
  BSP_ERROR_INVALID_MODEL = 3,    /* the model failed verification */
  BSP_ERROR_UNSUPPORTED = 4,      /* valid, but needs an operator/backend this build lacks */
  BSP_ERROR_OUT_OF_MEMORY = 5,
  BSP_ERROR_BACKEND = 6, /* a kernel library reported an error */
  BSP_ERROR_INTERNAL = 7
} bsp_status;

typedef enum bsp_backend {
  /* The optimized backends available here, chosen by a measured rule (no
     timing at creation): with one thread each operator goes to the backend
     fastest for its kind on this CPU; with several, one backend runs the
     model (two thread pools would compete for the cores). */
  BSP_BACKEND_AUTO = 0,
  BSP_BACKEND_REFERENCE = 1, /* portable C++; the numerical ground truth */
  BSP_BACKEND_XNNPACK = 2,
  BSP_BACKEND_ONEDNN = 3 /* x86-64 with SSE4.1 only */
} bsp_backend;

typedef enum bsp_element_type {
  BSP_FLOAT32 = 0,
  BSP_INT8 = 1,
  BSP_UINT8 = 2,
  BSP_INT32 = 3,
  BSP_INT64 = 4
} bsp_element_type;

typedef struct bsp_model bsp_model;
typedef struct bsp_session bsp_session;

typedef struct bsp_tensor_info {
  uint32_t struct_size; /* set by the caller: sizeof(bsp_tensor_info) */
  const char* name;     /* owned by the model */
  bsp_element_type type;
  int32_t rank;
  int64_t dims[BSP_MAX_RANK]; /* logical order (NCHW for images) */
  size_t byte_size;
} bsp_tensor_info;

typedef struct bsp_session_options {
  uint32_t struct_size;     /* set by bsp_session_options_init */
  bsp_backend backend;      /* default BSP_BACKEND_AUTO */
  int32_t num_threads;      /* default 1; 0 = number of CPU cores */
  int32_t enable_profiling; /* default 0; non-zero records per-block and per-operator times */
  /* Optional caller-owned arena for intermediate tensors, 64-byte aligned,
     at least bsp_session_required_arena_size() bytes; NULL = the session allocates. */
  void* arena;
  size_t arena_size;
} bsp_session_options;

typedef enum bsp_profile_level { BSP_PROFILE_BLOCKS = 0, BSP_PROFILE_OPERATORS = 1 } bsp_profile_level;

typedef struct bsp_profile_entry {
  uint32_t struct_size; /* set by the caller: sizeof(bsp_profile_entry) */
  const char* name;     /* block or operator name, owned by the model */
  const char* kind;     /* operator type ("CONV_2D") or "block" */
  const char* backend;  /* backend that ran it ("xnnpack", ... or "mixed" for a block) */
  uint32_t id;          /* block id, or operator index */
  uint64_t runs;        /* number of timed runs */
  uint64_t total_ns;    /* sum over runs */
  uint64_t last_ns;     /* the most recent run */
} bsp_profile_entry;

/* ---- library ---- */
BSP_EXPORT uint32_t bsp_api_version(void);
BSP_EXPORT uint32_t bsp_runtime_version(void);
/* The message of the last failed call on this thread ("" if none). Valid until the next call. */
BSP_EXPORT const char* bsp_last_error_message(void);
/* A short name for any value, "unknown status" for one that is not a bsp_status. */
BSP_EXPORT const char* bsp_status_string(bsp_status status);
/* Comma-separated backends compiled in and usable on this CPU, e.g. "reference,xnnpack,onednn". */
BSP_EXPORT const char* bsp_available_backends(void);

/* ---- models ---- */
/* Memory-maps and fully verifies a .bspk file. path and model must not be
   NULL; *model is NULL on failure. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_model_load_file(const char* path, bsp_model** model);
/* Verifies a model in caller memory. The memory must stay valid and unchanged
   for the model's lifetime unless copy is non-zero. data and model must not
   be NULL; *model is NULL on failure. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_model_load_memory(const void* data, size_t size, int copy, bsp_model** model);
/* model may be NULL (nothing happens). */
BSP_EXPORT void bsp_model_destroy(bsp_model* model);
/* 0 for a NULL model. */
BSP_EXPORT size_t bsp_model_input_count(const bsp_model* model);
BSP_EXPORT size_t bsp_model_output_count(const bsp_model* model);
/* Fills the first info->struct_size bytes of *info. model and info must not be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_model_input_info(const bsp_model* model, size_t index, bsp_tensor_info* info);
BSP_NODISCARD BSP_EXPORT bsp_status bsp_model_output_info(const bsp_model* model, size_t index, bsp_tensor_info* info);
/* 0 for a NULL model. */
BSP_EXPORT size_t bsp_model_block_count(const bsp_model* model);
/* Value of a metadata key, or NULL (also for a NULL model or key). */
BSP_EXPORT const char* bsp_model_metadata(const bsp_model* model, const char* key);

/* ---- sessions ---- */
/* Sets the defaults and struct_size. options may be NULL (nothing happens). */
BSP_EXPORT void bsp_session_options_init(bsp_session_options* options);
/* Arena bytes a session with these options would need (for caller-supplied
   arenas). options may be NULL (defaults); model and bytes must not be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_required_arena_size(const bsp_model* model,
                                                                    const bsp_session_options* options, size_t* bytes);
/* The model must outlive the session. options may be NULL (defaults); model
   and session must not be NULL; *session is NULL on failure. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_create(const bsp_model* model, const bsp_session_options* options,
                                                       bsp_session** session);
/* session may be NULL (nothing happens). */
BSP_EXPORT void bsp_session_destroy(bsp_session* session);
/* Name of the backend that runs most operators ("xnnpack", "onednn",
   "reference"); "" for a NULL session. An AUTO session may mix backends:
   bsp_session_backend_usage() says what runs. */
BSP_EXPORT const char* bsp_session_backend(const bsp_session* session);
/* Number of backends that run at least one operator of the session (0 for a
   NULL session); bsp_session_backend_usage() describes each, the one running
   most operators first. */
BSP_EXPORT size_t bsp_session_backend_count(const bsp_session* session);
/* Backend `index` (< bsp_session_backend_count()): its name ("onednn", ...)
   and how many operators it runs. session must not be NULL; name and
   operators may be NULL (not written). */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_backend_usage(const bsp_session* session, size_t index,
                                                              const char** name, size_t* operators);
/* Copies byte_size bytes (must equal the input's byte_size, logical NCHW order)
   as input `index` for the next runs. session and data must not be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_set_input(bsp_session* session, size_t index, const void* data,
                                                          size_t byte_size);
/* session must not be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_run(bsp_session* session);
/* Output of the last run, in logical order; valid until the next run or
   destroy. No argument may be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_get_output(const bsp_session* session, size_t index, const void** data,
                                                           size_t* byte_size);
/* Copies the output into data, which has byte_size bytes (must equal the
   output's size). session and data must not be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_copy_output(const bsp_session* session, size_t index, void* data,
                                                            size_t byte_size);
/* session must not be NULL; arena_bytes and weights_bytes may be NULL (not written). */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_memory_info(const bsp_session* session, size_t* arena_bytes,
                                                            size_t* weights_bytes);

/* ---- profiling (sessions created with enable_profiling) ---- */
/* 0 for a NULL session or one created without profiling. */
BSP_EXPORT size_t bsp_session_profile_count(const bsp_session* session, bsp_profile_level level);
/* Fills the first entry->struct_size bytes of *entry. session and entry must not be NULL. */
BSP_NODISCARD BSP_EXPORT bsp_status bsp_session_profile_entry(const bsp_session* session, bsp_profile_level level,
                                                              size_t index, bsp_profile_entry* entry);
/* session may be NULL (nothing happens). */
BSP_EXPORT void bsp_session_profile_reset(bsp_session* session);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BESPOKE_BESPOKE_H_ */
