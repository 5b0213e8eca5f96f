/*
 * embed.c: embedding the Bespoke runtime in a plain C99 program.
 *
 * Usage:   embed-c model.bspk [input.raw]
 *
 * Loads a .bspk model (memory-mapped and verified), creates a session on the
 * fastest backend for this CPU, fills the first input from `input.raw`
 * (little-endian float32 values in logical NCHW order, exactly the input's
 * size) or with reproducible pseudo-random values, runs the model once and
 * prints the top-5 entries of the first output.
 *
 * Build (as part of the project it is the `embed-c` target), or against an
 * installed runtime:
 *   cc -std=c99 embed.c -lbespoke -o embed-c
 *
 * Everything used here is in bespoke.h: every call returns a bsp_status, and
 * bsp_last_error_message() says what went wrong. The program exits with 1 on
 * any error, after printing that message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bespoke/bespoke.h"

#define TOP_K 5

static int fail(const char* what, bsp_status status) {
  fprintf(stderr, "embed-c: %s: %s (%s)\n", what, bsp_last_error_message(), bsp_status_string(status));
  return 1;
}

/* Reads exactly `size` bytes from `path` into `data`. */
static int read_input(const char* path, void* data, size_t size) {
  FILE* f = fopen(path, "rb");
  size_t got;
  int extra;
  if (f == NULL) {
    fprintf(stderr, "embed-c: cannot open '%s'\n", path);
    return 0;
  }
  got = fread(data, 1, size, f);
  extra = fgetc(f);
  fclose(f);
  if (got != size || extra != EOF) {
    fprintf(stderr, "embed-c: '%s' must hold exactly %lu bytes (float32, NCHW)\n", path, (unsigned long)size);
    return 0;
  }
  return 1;
}

/* Reproducible values in [-1, 1) from a linear congruential generator. */
static void fill_random(float* values, size_t count) {
  unsigned long state = 12345UL;
  size_t i;
  for (i = 0; i < count; ++i) {
    state = (state * 1103515245UL + 12345UL) & 0x7fffffffUL;
    values[i] = (float)state / (float)0x40000000UL - 1.0f;
  }
}

static void print_top_k(const float* values, size_t count) {
  size_t best[TOP_K];
  size_t found = 0, i, k;
  for (i = 0; i < count; ++i) {
    /* Insertion into the sorted list of the best indices so far. */
    size_t at = found < TOP_K ? found : TOP_K;
    while (at > 0 && values[i] > values[best[at - 1]]) --at;
    if (at >= TOP_K) continue;
    for (k = (found < TOP_K ? found : TOP_K - 1); k > at; --k) best[k] = best[k - 1];
    best[at] = i;
    if (found < TOP_K) ++found;
  }
  printf("top-%lu:\n", (unsigned long)found);
  for (k = 0; k < found; ++k) printf("  %lu  %g\n", (unsigned long)best[k], (double)values[best[k]]);
}

int main(int argc, char** argv) {
  bsp_model* model = NULL;
  bsp_session* session = NULL;
  bsp_session_options options;
  bsp_tensor_info input_info, output_info;
  bsp_status status;
  float* input = NULL;
  const void* output = NULL;
  size_t output_size = 0;
  int exit_code = 1;

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: embed-c model.bspk [input.raw]\n");
    return 2;
  }
  printf("Bespoke runtime %u, backends: %s\n", (unsigned)bsp_runtime_version(), bsp_available_backends());

  status = bsp_model_load_file(argv[1], &model);
  if (status != BSP_OK) return fail("loading the model", status);
  /* Output structs carry their size, so a newer library never writes past them. */
  input_info.struct_size = sizeof input_info;
  output_info.struct_size = sizeof output_info;
  status = bsp_model_input_info(model, 0, &input_info);
  if (status != BSP_OK) {
    exit_code = fail("reading input 0", status);
    goto done;
  }

  bsp_session_options_init(&options);
  options.backend = BSP_BACKEND_AUTO;
  options.num_threads = 1;
  status = bsp_session_create(model, &options, &session);
  if (status != BSP_OK) {
    exit_code = fail("creating the session", status);
    goto done;
  }
  printf("model '%s': input '%s' (%lu bytes), backend %s\n", argv[1], input_info.name,
         (unsigned long)input_info.byte_size, bsp_session_backend(session));

  input = (float*)malloc(input_info.byte_size);
  if (input == NULL) {
    fprintf(stderr, "embed-c: out of memory\n");
    goto done;
  }
  if (argc == 3) {
    if (!read_input(argv[2], input, input_info.byte_size)) goto done;
  } else {
    fill_random(input, input_info.byte_size / sizeof(float));
  }

  status = bsp_session_set_input(session, 0, input, input_info.byte_size);
  if (status == BSP_OK) status = bsp_session_run(session);
  if (status == BSP_OK) status = bsp_session_get_output(session, 0, &output, &output_size);
  if (status == BSP_OK) status = bsp_model_output_info(model, 0, &output_info);
  if (status != BSP_OK) {
    exit_code = fail("running the model", status);
    goto done;
  }
  printf("output '%s': %lu values\n", output_info.name, (unsigned long)(output_size / sizeof(float)));
  print_top_k((const float*)output, output_size / sizeof(float));
  exit_code = 0;

done:
  free(input);
  bsp_session_destroy(session);
  bsp_model_destroy(model);
  return exit_code;
}
