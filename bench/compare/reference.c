// Plain C reference for the polelab benchmark workloads (bench/models.ts), built by bench/compare.ts with
// `gcc -O3 -Ofast -march=native`. Prints one JSON object {workload: median seconds}. Straightforward loops, the
// way a careful C programmer writes them (contiguous inner loops the compiler vectorises); no BLAS.
//
//   harvest_<linear|tanh>_N<n>  h_t = act(W h_{t−1} + U x_t), T = 20000, 2 inputs, W ~ N(0, 0.81/N) (spectral
//                               radius ≈ 0.9 by the circular law), states stored (T × N).
//   ridge_T20000_N512           G = HᵀH (blocked, transposed rows, upper triangle), HᵀY, Cholesky solve of
//                               (G + λI) X = HᵀY, λ = 1e-6; H 20000 × 512, Y 20000 × 2.
//   rls_N128                    RLS over 20000 rows of 128 states, 2 outputs, λ = 1, P_0 = 100·I.
//
// Learning workloads (bench/learning.ts): linear RNN h_t = W h_{t−1} + U x_t, y_t = V h_t, N = 32, I = O = 2,
// T = 100, sequence-mean loss (Gy_t = (y_t − y*_t)/T), W ~ N(0, 0.81/N); each run is the whole update the
// library computes: forward pass storing H and Y, loss and Gy, readout gradient Σ Gy hᵀ, then the rule.
//   bptt_linear_N32_B64_T100    64 sequences; backward δ_t = Vᵀ Gy_t + Wᵀ δ_{t+1}, gW += δ_t h_{t−1}ᵀ, gU += δ_t x_tᵀ.
//   rtrl_linear_N32_T100        one sequence; sensitivities S^W (N × N²), S^U (N × N·I): S ← W S + e_i ⊗ v,
//                               g += Σ_k (Vᵀ Gy_t)_k S[k, ·] (the O(N⁴)-per-step product as an i-k-j loop).
//   rflo_linear_N32_B64_T100    64 sequences; traces p_ij ← α p_ij + h_{t−1,j} (α = 0.5), g_ij += (B Gy_t)_i p_ij.
//
// Usage: reference [workload-name-prefix ...]  (default: all). Add a workload: write `static void run_x(void)`
// with untimed setup in `setup_x` and append a row to WORKLOADS.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { T_STEPS = 20000, N_IN = 2 };

/* ---- utilities ---------------------------------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static double uniform01(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return ((rng_state >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double gauss(void) {
  return sqrt(-2.0 * log(uniform01())) * cos(6.283185307179586 * uniform01());
}

static double *gaussian(size_t len, double scale) {
  double *a = malloc(len * sizeof(double));
  if (a == NULL) { fprintf(stderr, "reference: out of memory\n"); exit(1); }
  for (size_t i = 0; i < len; i++) a[i] = scale * gauss();
  return a;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A sink the optimiser cannot see through, so timed results are never dead code. */
volatile double sink;

/* ---- harvest: h_t = act(W h_{t-1} + U x_t) -------------------------------------------------------------- */

static int h_n, h_tanh;
static double *h_W, *h_U, *h_x, *h_states;

static void setup_harvest(int n, int use_tanh) {
  free(h_W); free(h_U); free(h_x); free(h_states);
  h_n = n;
  h_tanh = use_tanh;
  h_W = gaussian((size_t)n * n, 0.9 / sqrt(n));
  h_U = gaussian((size_t)n * N_IN, 1.0);
  h_x = gaussian((size_t)T_STEPS * N_IN, 1.0);
  h_states = malloc((size_t)T_STEPS * n * sizeof(double));
}

static void run_harvest(void) {
  const int n = h_n;
  double *zero = calloc(n, sizeof(double));
  const double *prev = zero;
  for (int t = 0; t < T_STEPS; t++) {
    double *h = h_states + (size_t)t * n;
    const double *x = h_x + (size_t)t * N_IN;
    for (int i = 0; i < n; i++) {
      const double *w = h_W + (size_t)i * n;
      double s = 0.0;
      for (int j = 0; j < n; j++) s += w[j] * prev[j];
      for (int j = 0; j < N_IN; j++) s += h_U[i * N_IN + j] * x[j];
      h[i] = s;
    }
    if (h_tanh) for (int i = 0; i < n; i++) h[i] = tanh(h[i]);
    prev = h;
  }
  sink = h_states[(size_t)T_STEPS * n - 1];
  free(zero);
}

/* ---- ridge: (HᵀH + λI) X = HᵀY -------------------------------------------------------------------------- */

enum { R_N = 512, R_O = 2, R_BLOCK = 128 };
static double *r_H, *r_Y;

static void setup_ridge(void) {
  if (r_H == NULL) {
    r_H = gaussian((size_t)T_STEPS * R_N, 1.0);
    r_Y = gaussian((size_t)T_STEPS * R_O, 1.0);
  }
}

static void run_ridge(void) {
  const int n = R_N, o = R_O;
  double *G = calloc((size_t)n * n, sizeof(double)), *B = calloc((size_t)n * o, sizeof(double));
  double *ht = malloc((size_t)n * R_BLOCK * sizeof(double)), *yt = malloc((size_t)o * R_BLOCK * sizeof(double));
  for (int start = 0; start < T_STEPS; start += R_BLOCK) {
    const int rb = T_STEPS - start < R_BLOCK ? T_STEPS - start : R_BLOCK;
    // transpose the block so every (i, j) dot product runs over contiguous memory
    for (int r = 0; r < rb; r++) {
      for (int i = 0; i < n; i++) ht[(size_t)i * R_BLOCK + r] = r_H[(size_t)(start + r) * n + i];
      for (int j = 0; j < o; j++) yt[(size_t)j * R_BLOCK + r] = r_Y[(size_t)(start + r) * o + j];
    }
    for (int i = 0; i < n; i++) {
      const double *a = ht + (size_t)i * R_BLOCK;
      for (int j = i; j < n; j++) {
        const double *b = ht + (size_t)j * R_BLOCK;
        double s = 0.0;
        for (int r = 0; r < rb; r++) s += a[r] * b[r];
        G[(size_t)i * n + j] += s;
      }
      for (int j = 0; j < o; j++) {
        const double *b = yt + (size_t)j * R_BLOCK;
        double s = 0.0;
        for (int r = 0; r < rb; r++) s += a[r] * b[r];
        B[(size_t)i * o + j] += s;
      }
    }
  }
  for (int i = 0; i < n; i++) {
    G[(size_t)i * n + i] += 1e-6;
    for (int j = i + 1; j < n; j++) G[(size_t)j * n + i] = G[(size_t)i * n + j];
  }
  // Cholesky G = L Lᵀ (lower, in place), then forward and back substitution for each column of B
  for (int j = 0; j < n; j++) {
    double *lj = G + (size_t)j * n;
    for (int k = 0; k < j; k++) {
      const double *lk = G + (size_t)k * n;
      double s = lj[k];
      for (int p = 0; p < k; p++) s -= lj[p] * lk[p];
      lj[k] = s / lk[k];
    }
    double d = lj[j];
    for (int p = 0; p < j; p++) d -= lj[p] * lj[p];
    lj[j] = sqrt(d);
  }
  for (int c = 0; c < o; c++) {
    double *x = malloc((size_t)n * sizeof(double));
    for (int i = 0; i < n; i++) {
      double s = B[(size_t)i * o + c];
      for (int p = 0; p < i; p++) s -= G[(size_t)i * n + p] * x[p];
      x[i] = s / G[(size_t)i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = x[i];
      for (int p = i + 1; p < n; p++) s -= G[(size_t)p * n + i] * x[p];
      x[i] = s / G[(size_t)i * n + i];
    }
    sink = x[0];
    free(x);
  }
  free(G); free(B); free(ht); free(yt);
}

/* ---- RLS: k = P h / (λ + hᵀ P h), W += e kᵀ, P = (P − k (Ph)ᵀ)/λ --------------------------------------- */

enum { L_N = 128, L_O = 2 };
static double *l_H, *l_Y;

static void setup_rls(void) {
  if (l_H == NULL) {
    l_H = gaussian((size_t)T_STEPS * L_N, 1.0);
    l_Y = gaussian((size_t)T_STEPS * L_O, 1.0);
  }
}

static void run_rls(void) {
  const int n = L_N, o = L_O;
  const double lambda = 1.0, inv = 1.0 / lambda;
  double *P = calloc((size_t)n * n, sizeof(double)), *W = calloc((size_t)o * n, sizeof(double));
  double *ph = malloc(n * sizeof(double)), *k = malloc(n * sizeof(double));
  double *pred = malloc((size_t)T_STEPS * o * sizeof(double));
  for (int i = 0; i < n; i++) P[(size_t)i * n + i] = 100.0;
  for (int t = 0; t < T_STEPS; t++) {
    const double *h = l_H + (size_t)t * n;
    double denom = lambda;
    for (int i = 0; i < n; i++) {
      const double *p = P + (size_t)i * n;
      double s = 0.0;
      for (int j = 0; j < n; j++) s += p[j] * h[j];
      ph[i] = s;
      denom += h[i] * s;
    }
    for (int i = 0; i < n; i++) k[i] = ph[i] / denom;
    for (int r = 0; r < o; r++) {
      double *w = W + (size_t)r * n;
      double s = 0.0;
      for (int j = 0; j < n; j++) s += w[j] * h[j];
      pred[(size_t)t * o + r] = s;
      const double e = l_Y[(size_t)t * o + r] - s;
      for (int j = 0; j < n; j++) w[j] += e * k[j];
    }
    // full-matrix update (P stays symmetric to rounding; the vectoriser likes contiguous rows)
    for (int i = 0; i < n; i++) {
      double *p = P + (size_t)i * n;
      const double ki = k[i];
      for (int j = 0; j < n; j++) p[j] = (p[j] - ki * ph[j]) * inv;
    }
  }
  sink = W[0] + pred[T_STEPS * o - 1];
  free(P); free(W); free(ph); free(k); free(pred);
}

/* ---- learning: forward + loss + readout gradient + BPTT / RTRL / RFLO (bench/learning.ts) ----------------- */

enum { LN = 32, LI = 2, LO = 2, LT = 100, LB = 64 };
static int lb;                                    /* sequences in the batch */
static double *lW, *lU, *lV, *lF, *lx, *ly;      /* parameters, feedback B, inputs (lb, T, I), targets (lb, T, O) */
static double *lH, *lY, *lG;                      /* states (lb, T, N), outputs and Gy (lb, T, O) */
static double *gW, *gU, *gV;                      /* gradient sums */
static double *sW, *sU, *sW2, *sU2;               /* RTRL sensitivities (two buffers each) / RFLO traces */

static void setup_learning(int batch, int unused) {
  (void)unused;
  free(lW); free(lU); free(lV); free(lF); free(lx); free(ly); free(lH); free(lY); free(lG);
  free(gW); free(gU); free(gV); free(sW); free(sU); free(sW2); free(sU2);
  lb = batch;
  lW = gaussian(LN * LN, 0.9 / sqrt(LN));
  lU = gaussian(LN * LI, 1.0 / sqrt(LI));
  lV = gaussian(LO * LN, 1.0 / sqrt(LN));
  lF = gaussian(LN * LO, 1.0 / sqrt(LN));
  lx = gaussian((size_t)batch * LT * LI, 1.0);
  ly = gaussian((size_t)batch * LT * LO, 1.0);
  lH = malloc((size_t)batch * LT * LN * sizeof(double));
  lY = malloc((size_t)batch * LT * LO * sizeof(double));
  lG = malloc((size_t)batch * LT * LO * sizeof(double));
  gW = malloc(LN * LN * sizeof(double));
  gU = malloc(LN * LI * sizeof(double));
  gV = malloc(LO * LN * sizeof(double));
  sW = malloc((size_t)LN * LN * LN * sizeof(double));
  sW2 = malloc((size_t)LN * LN * LN * sizeof(double));
  sU = malloc((size_t)LN * LN * LI * sizeof(double));
  sU2 = malloc((size_t)LN * LN * LI * sizeof(double));
}

/* Forward pass, loss, Gy and the readout gradient, shared by the three rules; gW, gU, gV zeroed. */
static double learning_forward(void) {
  double loss = 0.0;
  const double w = 1.0 / LT;
  for (int b = 0; b < lb; b++) {
    for (int t = 0; t < LT; t++) {
      const size_t s = (size_t)b * LT + t;
      double *h = lH + s * LN;
      const double *prev = t > 0 ? h - LN : NULL, *x = lx + s * LI;
      for (int i = 0; i < LN; i++) {
        double a = 0.0;
        for (int j = 0; j < LI; j++) a += lU[i * LI + j] * x[j];
        if (prev != NULL) {
          const double *wi = lW + i * LN;
          for (int j = 0; j < LN; j++) a += wi[j] * prev[j];
        }
        h[i] = a;
      }
      for (int o = 0; o < LO; o++) {
        double y = 0.0;
        for (int j = 0; j < LN; j++) y += lV[o * LN + j] * h[j];
        lY[s * LO + o] = y;
        const double d = y - ly[s * LO + o];
        lG[s * LO + o] = w * d;
        loss += w * 0.5 * d * d;
      }
    }
  }
  memset(gW, 0, LN * LN * sizeof(double));
  memset(gU, 0, LN * LI * sizeof(double));
  memset(gV, 0, LO * LN * sizeof(double));
  for (size_t s = 0; s < (size_t)lb * LT; s++) {
    const double *h = lH + s * LN;
    for (int o = 0; o < LO; o++) {
      const double g = lG[s * LO + o];
      for (int j = 0; j < LN; j++) gV[o * LN + j] += g * h[j];
    }
  }
  return loss / lb;
}

/* Scales the sums into the batch-mean update −η g / B (η = 1), as the library returns it. */
static void learning_finish(double loss) {
  const double f = -1.0 / lb;
  for (int k = 0; k < LN * LN; k++) gW[k] *= f;
  for (int k = 0; k < LN * LI; k++) gU[k] *= f;
  for (int k = 0; k < LO * LN; k++) gV[k] *= f;
  sink = gW[0] + gU[0] + gV[0] + loss;
}

static void run_bptt(void) {
  const double loss = learning_forward();
  double delta[LN], next[LN];
  for (int b = 0; b < lb; b++) {
    memset(delta, 0, sizeof delta);
    for (int t = LT - 1; t >= 0; t--) {
      const size_t s = (size_t)b * LT + t;
      for (int o = 0; o < LO; o++) {
        const double e = lG[s * LO + o];
        for (int j = 0; j < LN; j++) delta[j] += lV[o * LN + j] * e;
      }
      if (t > 0) {
        const double *prev = lH + (s - 1) * LN;
        for (int i = 0; i < LN; i++) {
          const double g = delta[i];
          for (int j = 0; j < LN; j++) gW[i * LN + j] += g * prev[j];
        }
      }
      const double *x = lx + s * LI;
      for (int i = 0; i < LN; i++) for (int j = 0; j < LI; j++) gU[i * LI + j] += delta[i] * x[j];
      if (t > 0) {
        memset(next, 0, sizeof next);
        for (int i = 0; i < LN; i++) {
          const double g = delta[i];
          for (int j = 0; j < LN; j++) next[j] += lW[i * LN + j] * g;
        }
        memcpy(delta, next, sizeof delta);
      }
    }
  }
  learning_finish(loss);
}

/* S ← W S + e_k ⊗ v (row k gains v at columns k·m ..), for S of n rows and P columns; out must not alias S. */
static void rtrl_update(const double *S, double *out, int P, int m, const double *v) {
  for (int k = 0; k < LN; k++) {
    double *o = out + (size_t)k * P;
    memset(o, 0, P * sizeof(double));
    for (int l = 0; l < LN; l++) {
      const double w = lW[k * LN + l];
      const double *sl = S + (size_t)l * P;
      for (int p = 0; p < P; p++) o[p] += w * sl[p];
    }
    for (int j = 0; j < m; j++) o[k * m + j] += v[j];
  }
}

static void rtrl_grad(const double *S, double *g, int P, const double *c) {
  for (int k = 0; k < LN; k++) {
    const double ck = c[k];
    const double *sk = S + (size_t)k * P;
    for (int p = 0; p < P; p++) g[p] += ck * sk[p];
  }
}

static void run_rtrl(void) {
  const double loss = learning_forward();
  const int PW = LN * LN, PU = LN * LI;
  double zero[LN] = {0}, c[LN];
  memset(sW, 0, (size_t)LN * PW * sizeof(double));
  memset(sU, 0, (size_t)LN * PU * sizeof(double));
  double *SW = sW, *SW2 = sW2, *SU = sU, *SU2 = sU2;
  for (int t = 0; t < LT; t++) {
    const double *prev = t > 0 ? lH + (size_t)(t - 1) * LN : zero;
    rtrl_update(SW, SW2, PW, LN, prev);
    rtrl_update(SU, SU2, PU, LI, lx + (size_t)t * LI);
    double *tmp = SW; SW = SW2; SW2 = tmp;
    tmp = SU; SU = SU2; SU2 = tmp;
    memset(c, 0, sizeof c);
    for (int o = 0; o < LO; o++) {
      const double e = lG[t * LO + o];
      for (int j = 0; j < LN; j++) c[j] += lV[o * LN + j] * e;
    }
    rtrl_grad(SW, gW, PW, c);
    rtrl_grad(SU, gU, PU, c);
  }
  learning_finish(loss);
}

static void run_rflo(void) {
  const double loss = learning_forward();
  const double alpha = 0.5;
  double zero[LN] = {0}, c[LN];
  for (int b = 0; b < lb; b++) {
    memset(sW, 0, LN * LN * sizeof(double));
    memset(sU, 0, LN * LI * sizeof(double));
    for (int t = 0; t < LT; t++) {
      const size_t s = (size_t)b * LT + t;
      const double *prev = t > 0 ? lH + (s - 1) * LN : zero, *x = lx + s * LI;
      for (int i = 0; i < LN; i++) {
        double v = 0.0;
        for (int o = 0; o < LO; o++) v += lF[i * LO + o] * lG[s * LO + o];
        c[i] = v;
      }
      for (int i = 0; i < LN; i++) {
        double *p = sW + i * LN, *g = gW + i * LN;
        const double ci = c[i];
        for (int j = 0; j < LN; j++) {
          p[j] = alpha * p[j] + prev[j];
          g[j] += ci * p[j];
        }
        double *pu = sU + i * LI, *gu = gU + i * LI;
        for (int j = 0; j < LI; j++) {
          pu[j] = alpha * pu[j] + x[j];
          gu[j] += ci * pu[j];
        }
      }
    }
  }
  learning_finish(loss);
}

/* ---- driver -------------------------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  int n;      /* size parameter passed to setup (harvest: N; learning: sequences in the batch) */
  int tanh;   /* harvest activation */
  int repeats;
  void (*setup)(int n, int tanh);
  void (*run)(void);
} workload;

static void setup_ridge_w(int n, int t) { (void)n; (void)t; setup_ridge(); }
static void setup_rls_w(int n, int t) { (void)n; (void)t; setup_rls(); }

static const workload WORKLOADS[] = {
  {"harvest_linear_N32", 32, 0, 7, setup_harvest, run_harvest},
  {"harvest_linear_N128", 128, 0, 5, setup_harvest, run_harvest},
  {"harvest_linear_N512", 512, 0, 3, setup_harvest, run_harvest},
  {"harvest_tanh_N32", 32, 1, 7, setup_harvest, run_harvest},
  {"harvest_tanh_N128", 128, 1, 5, setup_harvest, run_harvest},
  {"harvest_tanh_N512", 512, 1, 3, setup_harvest, run_harvest},
  {"ridge_T20000_N512", 0, 0, 3, setup_ridge_w, run_ridge},
  {"rls_N128", 0, 0, 5, setup_rls_w, run_rls},
  {"bptt_linear_N32_B64_T100", LB, 0, 9, setup_learning, run_bptt},
  {"rtrl_linear_N32_T100", 1, 0, 5, setup_learning, run_rtrl},
  {"rflo_linear_N32_B64_T100", LB, 0, 9, setup_learning, run_rflo},
};

static int selected(const char *name, int argc, char **argv) {
  if (argc <= 1) return 1;
  for (int a = 1; a < argc; a++) if (strncmp(name, argv[a], strlen(argv[a])) == 0) return 1;
  return 0;
}

int main(int argc, char **argv) {
  const int count = (int)(sizeof WORKLOADS / sizeof WORKLOADS[0]);
  int first = 1;
  printf("{");
  for (int w = 0; w < count; w++) {
    const workload *wl = &WORKLOADS[w];
    if (!selected(wl->name, argc, argv)) continue;
    wl->setup(wl->n, wl->tanh);
    wl->run(); /* warm-up */
    double times[16];
    for (int r = 0; r < wl->repeats; r++) {
      const double t0 = now();
      wl->run();
      times[r] = now() - t0;
    }
    qsort(times, wl->repeats, sizeof(double), cmp_double);
    printf("%s\"%s\": %.6g", first ? "" : ", ", wl->name, times[wl->repeats / 2]);
    first = 0;
    fflush(stdout);
  }
  printf("}\n");
  return 0;
}
