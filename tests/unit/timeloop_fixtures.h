/* timeloop_fixtures.h - the Timeloop reference runs of ../shared/reference/
 * timeloop-exercises transcribed as data: for each run, the problem, the
 * architecture (sizes, block sizes, bandwidths and instances from the
 * specs printed in the run's stats.txt; per-action energies from its
 * ERT_summary.yaml), the mapping actually evaluated (parsed-processed-input.yaml,
 * or timeloop-mapper.map.yaml for mapper runs) and the figures stats.txt
 * reports per level and data space. Included by test_model_timeloop.c only. */

/* tutorial-timeloop/00-model-conv1d-1level/ref-output */
static const fx_case fx_ex00 = {
    "ex00", "tutorial-timeloop/00-model-conv1d-1level/ref-output",
    "RP", {3, 16}, {"R", "R+P", "P"},
    1, {
        {"Buffer", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "R3 P16", "RP", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    3, {
        {0, 0, 3, 3, 1, 48, 0, 0},
        {0, 1, 18, 18, 1, 48, 0, 0},
        {0, 2, 16, 16, 1, 32, 0, 48},
    },
    48, 48, 2406.54
};

/* tutorial-timeloop/01-model-conv1d-2level/ref-output/os */
static const fx_case fx_ex01os = {
    "ex01os", "tutorial-timeloop/01-model-conv1d-2level/ref-output/os",
    "RP", {3, 16}, {"R", "R+P", "P"},
    2, {
        {"MainMemory", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "P16", "PR", "", ""},
        {"Buffer", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "R3", "RP", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    6, {
        {0, 0, 3, 3, 1, 3, 0, 0},
        {0, 1, 18, 18, 1, 18, 0, 0},
        {0, 2, 16, 16, 1, 0, 0, 16},
        {1, 0, 3, 3, 1, 48, 3, 0},
        {1, 1, 18, 3, 1, 48, 18, 0},
        {1, 2, 16, 1, 1, 32, 0, 48},
    },
    48, 48, 7500.08
};

/* tutorial-timeloop/01-model-conv1d-2level/ref-output/ws */
static const fx_case fx_ex01ws = {
    "ex01ws", "tutorial-timeloop/01-model-conv1d-2level/ref-output/ws",
    "RP", {3, 16}, {"R", "R+P", "P"},
    2, {
        {"MainMemory", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "R3", "RP", "", ""},
        {"Buffer", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "P16", "PR", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    6, {
        {0, 0, 3, 3, 1, 3, 0, 0},
        {0, 1, 18, 18, 1, 18, 0, 0},
        {0, 2, 16, 16, 1, 0, 0, 16},
        {1, 0, 3, 1, 1, 48, 3, 0},
        {1, 1, 18, 16, 1, 48, 18, 0},
        {1, 2, 16, 16, 1, 32, 0, 48},
    },
    48, 48, 7500.08
};

/* tutorial-timeloop/02-model-conv1d+oc-2level/ref-output/no-tiling */
static const fx_case fx_ex02nt = {
    "ex02nt", "tutorial-timeloop/02-model-conv1d+oc-2level/ref-output/no-tiling",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    2, {
        {"MainMemory", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "K32 P16", "PRK", "", ""},
        {"Buffer", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "R3", "RPK", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    6, {
        {0, 0, 96, 96, 1, 96, 0, 0},
        {0, 1, 18, 18, 1, 576, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {1, 0, 96, 3, 1, 1536, 96, 0},
        {1, 1, 18, 3, 1, 1536, 576, 0},
        {1, 2, 512, 1, 1, 1024, 0, 1536},
    },
    1536, 1536, 6258.2
};

/* tutorial-timeloop/02-model-conv1d+oc-2level/ref-output/tiling */
static const fx_case fx_ex02t = {
    "ex02t", "tutorial-timeloop/02-model-conv1d+oc-2level/ref-output/tiling",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    2, {
        {"MainMemory", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "K16 P16", "PRK", "", ""},
        {"Buffer", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "K2 R3", "RPK", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    6, {
        {0, 0, 96, 96, 1, 96, 0, 0},
        {0, 1, 18, 18, 1, 288, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {1, 0, 96, 6, 1, 1536, 96, 0},
        {1, 1, 18, 3, 1, 1536, 288, 0},
        {1, 2, 512, 2, 1, 1024, 0, 1536},
    },
    1536, 1536, 5162.3
};

/* tutorial-timeloop/03-model-conv1d+oc-3level/ref-output/bypass */
static const fx_case fx_ex03b = {
    "ex03b", "tutorial-timeloop/03-model-conv1d+oc-3level/ref-output/bypass",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    3, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "PRK", "", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 3, "K16 P16", "PRK", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 4, "K2 R3", "RPK", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    6, {
        {0, 0, 96, 96, 1, 96, 0, 0},
        {0, 1, 18, 18, 1, 18, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {1, 0, 96, 96, 1, 1536, 96, 0},
        {1, 1, 18, 18, 1, 1536, 18, 0},
        {2, 2, 512, 2, 1, 1024, 0, 1536},
    },
    1536, 1536, 39369.71
};

/* tutorial-timeloop/03-model-conv1d+oc-3level/ref-output/no-bypass */
static const fx_case fx_ex03nb = {
    "ex03nb", "tutorial-timeloop/03-model-conv1d+oc-3level/ref-output/no-bypass",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    3, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "PRK", "", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "K16 P16", "PRK", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "K2 R3", "RPK", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    9, {
        {0, 0, 96, 96, 1, 96, 0, 0},
        {0, 1, 18, 18, 1, 18, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {1, 0, 96, 96, 1, 96, 96, 0},
        {1, 1, 18, 18, 1, 288, 18, 0},
        {1, 2, 512, 512, 1, 0, 0, 512},
        {2, 0, 96, 6, 1, 1536, 96, 0},
        {2, 1, 18, 3, 1, 1536, 288, 0},
        {2, 2, 512, 2, 1, 1024, 0, 1536},
    },
    1536, 1536, 32130.51
};

/* tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/cp */
static const fx_case fx_ex04cp = {
    "ex04cp", "tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/cp",
    "CKRP", {32, 32, 3, 16}, {"C|K|R", "C|R+P", "K|P"},
    4, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "PRKC", "", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CKRP", "C16", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 16, 16, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "C2 K32 R3", "PRKC", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 16, 16, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "P16", "RPKC", "", ""},
    },
    {"MACC", 16, 16, 1, 0.845},
    9, {
        {0, 0, 3072, 3072, 1, 3072, 0, 0},
        {0, 1, 576, 576, 1, 576, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {2, 0, 192, 192, 16, 192, 192, 0},
        {2, 1, 36, 36, 16, 1152, 36, 0},
        {2, 2, 512, 512, 16, 512, 0, 1024},
        {3, 0, 192, 1, 16, 3072, 192, 0},
        {3, 1, 36, 16, 16, 3072, 1152, 0},
        {3, 2, 512, 16, 16, 2560, 512, 3072},
    },
    49152, 3072, 13011.43
};

/* tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/kp */
static const fx_case fx_ex04kp = {
    "ex04kp", "tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/kp",
    "CKRP", {32, 32, 3, 16}, {"C|K|R", "C|R+P", "K|P"},
    4, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "PRKC", "", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CKRP", "K16", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 16, 16, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "C32 K2 R3", "PRKC", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 16, 16, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "P16", "RPKC", "", ""},
    },
    {"MACC", 16, 16, 1, 0.845},
    9, {
        {0, 0, 3072, 3072, 1, 3072, 0, 0},
        {0, 1, 576, 576, 1, 576, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {2, 0, 192, 192, 16, 192, 192, 0},
        {2, 1, 576, 576, 16, 1152, 576, 0},
        {2, 2, 32, 32, 16, 992, 0, 1024},
        {3, 0, 192, 1, 16, 3072, 192, 0},
        {3, 1, 576, 16, 16, 3072, 1152, 0},
        {3, 2, 32, 16, 16, 3040, 992, 3072},
    },
    49152, 3072, 14664.63
};

/* tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/baked */
static const fx_case fx_ex05baked = {
    "ex05baked", "tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/baked",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    3, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "KRP", "", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 7, "K16 P16", "PKR", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "K2 R3", "KRP", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    9, {
        {0, 0, 96, 96, 1, 96, 0, 0},
        {0, 1, 18, 18, 1, 18, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {1, 0, 96, 96, 1, 96, 96, 0},
        {1, 1, 18, 18, 1, 288, 18, 0},
        {1, 2, 512, 512, 1, 0, 0, 512},
        {2, 0, 96, 6, 1, 1536, 96, 0},
        {2, 1, 18, 3, 1, 1536, 288, 0},
        {2, 2, 512, 2, 1, 1024, 0, 1536},
    },
    1536, 1536, 32130.51
};

/* tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/freebypass */
static const fx_case fx_ex05free = {
    "ex05free", "tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/freebypass",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    3, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "KRP", "", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 2, "K16 P16", "PKR", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 7, "K2 R3", "KRP", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    7, {
        {0, 0, 96, 96, 1, 96, 0, 0},
        {0, 1, 18, 18, 1, 18, 0, 0},
        {0, 2, 512, 512, 1, 0, 0, 512},
        {1, 1, 18, 18, 1, 288, 18, 0},
        {2, 0, 96, 6, 1, 1536, 96, 0},
        {2, 1, 18, 3, 1, 1536, 288, 0},
        {2, 2, 512, 2, 1, 1024, 0, 1536},
    },
    1536, 1536, 30263.99
};

/* tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/null */
static const fx_case fx_ex05null = {
    "ex05null", "tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/null",
    "KRP", {32, 3, 16}, {"K|R", "R+P", "K|P"},
    3, {
        {"MainMemory", PETAL_MEM_DRAM, 0, 8, 32, 1, 1, 1, 0, 0, 7, 2048.0, 2048.0, 2048.0, 0.0, 7, "", "KRP", "", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 262144, 8, 8, 1, 1, 1, 0, 0, 7, 43.353054, 30.878292, 30.878292, 0.007972, 0, "", "KRP", "", ""},
        {"RegisterFile", PETAL_MEM_SRAM, 64, 8, 1, 1, 1, 1, 0, 0, 7, 0.42564, 0.42564, 0.42564, 0.000861, 0, "K32 R3 P16", "KRP", "", ""},
    },
    {"MACC", 1, 1, 1, 0.845},
    3, {
        {0, 0, 96, 96, 1, 1536, 0, 0},
        {0, 1, 18, 18, 1, 1536, 0, 0},
        {0, 2, 512, 512, 1, 1024, 0, 1536},
    },
    1536, 1536, 235520.5
};

/* tutorial-timeloop/06-mapper-convlayer-eyeriss/ref-output */
static const fx_case fx_ex06 = {
    "ex06", "tutorial-timeloop/06-mapper-convlayer-eyeriss/ref-output",
    "CMRSNPQ", {128, 256, 3, 3, 1, 56, 56}, {"C|M|R|S", "N|C|R+P|S+Q", "N|M|Q|P"},
    7, {
        {"DRAM", PETAL_MEM_DRAM, 0, 8, 8, 1, 1, 1, 0, 0, 7, 512.0, 512.0, 512.0, 0.0, 7, "C4 M4 P7 Q4", "MPCQRSN", "", ""},
        {"shared_glb", PETAL_MEM_SRAM, 131072, 8, 8, 1, 1, 1, 16, 16, 7, 18.183829, 14.137929, 14.137929, 0.005652, 6, "C4 M2 P8", "PCMRSNQ", "", ""},
        {"inter_PE_column_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "Q14", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 14, 14, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "", "M4 S3"},
        {"ifmap_spad", PETAL_MEM_SRAM, 24, 8, 2, 168, 14, 12, 2, 2, 7, 0.202442, 0.176713, 0.176713, 0.000101, 2, "", "CMRSNPQ", "", ""},
        {"weights_spad", PETAL_MEM_SRAM, 384, 8, 2, 168, 14, 12, 2, 2, 7, 1.976602, 1.881657, 1.881657, 0.001592, 1, "C8 R3", "CRMSNPQ", "", ""},
        {"psum_spad", PETAL_MEM_SRAM, 16, 16, 1, 168, 14, 12, 2, 2, 7, 0.2513, 0.2191, 0.2191, 0.000134, 4, "M8", "MCRSNPQ", "", ""},
    },
    {"mac", 168, 14, 12, 0.207692},
    8, {
        {0, 0, 294912, 294912, 1, 8257536, 0, 0},
        {0, 1, 430592, 430592, 1, 573440, 0, 0},
        {0, 2, 802816, 802816, 1, 2408448, 0, 3211264},
        {1, 1, 430592, 5120, 1, 12042240, 573440, 0},
        {1, 2, 802816, 7168, 1, 12042240, 2408448, 12845056},
        {4, 1, 26912, 24, 168, 5505024, 286720, 0},
        {5, 0, 24576, 192, 168, 5505024, 688128, 0},
        {6, 2, 14336, 8, 168, 5490688, 215040, 5505024},
    },
    924844032, 5505024, 2989.02
};

/* example_designs/example_designs/eyeriss_like/ref_outputs/default_problem */
static const fx_case fx_eyeriss = {
    "eyeriss", "example_designs/example_designs/eyeriss_like/ref_outputs/default_problem",
    "CMRSNPQ", {3, 32, 3, 3, 1, 112, 112}, {"C|M|R|S", "N|C|R+2P|S+2Q", "N|M|Q|P"},
    7, {
        {"DRAM", PETAL_MEM_DRAM, 0, 8, 8, 1, 1, 1, 0, 0, 7, 512.0, 512.0, 512.0, 0.0, 7, "M4 P8 Q2", "MQPCRSN", "", ""},
        {"shared_glb", PETAL_MEM_SRAM, 131072, 8, 8, 1, 1, 1, 16, 16, 7, 18.183829, 14.137929, 14.137929, 0.005652, 6, "P14 Q4", "QPCMRSN", "", ""},
        {"inter_PE_column_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "Q14", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 14, 14, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "", "C3 S3"},
        {"ifmap_spad", PETAL_MEM_SRAM, 24, 8, 2, 168, 14, 12, 2, 2, 7, 0.202442, 0.176713, 0.176713, 0.000101, 2, "", "CMRSNPQ", "", ""},
        {"weights_spad", PETAL_MEM_SRAM, 384, 8, 2, 168, 14, 12, 2, 2, 7, 1.976602, 1.881657, 1.881657, 0.001592, 1, "R3", "RCMSNPQ", "", ""},
        {"psum_spad", PETAL_MEM_SRAM, 16, 16, 1, 168, 14, 12, 2, 2, 7, 0.2513, 0.2191, 0.2191, 0.000134, 4, "M8", "MCRSNPQ", "", ""},
    },
    {"mac", 168, 14, 12, 0.207692},
    8, {
        {0, 0, 864, 864, 1, 13824, 0, 0},
        {0, 1, 151875, 151875, 1, 157296, 0, 0},
        {0, 2, 401408, 401408, 1, 0, 0, 401408},
        {1, 1, 151875, 9831, 1, 1354752, 157296, 0},
        {1, 2, 401408, 6272, 1, 0, 0, 401408},
        {4, 1, 1745, 3, 126, 86016, 10752, 0},
        {5, 0, 96, 24, 126, 86016, 1536, 0},
        {6, 2, 28672, 8, 126, 57344, 0, 86016},
    },
    10838016, 86016, 5469.65
};

/* example_designs/example_designs/simba_like/ref_outputs/default_problem */
static const fx_case fx_simba = {
    "simba", "example_designs/example_designs/simba_like/ref_outputs/default_problem",
    "CMRSNPQ", {3, 32, 3, 3, 1, 112, 112}, {"C|M|R|S", "N|C|R+2P|S+2Q", "N|M|Q|P"},
    9, {
        {"DRAM", PETAL_MEM_DRAM, 0, 8, 8, 1, 1, 1, 0, 0, 7, 512.0, 512.0, 512.0, 0.0, 7, "Q28", "QCMRSNP", "", ""},
        {"GlobalBuffer", PETAL_MEM_SRAM, 65536, 8, 32, 1, 1, 1, 0, 0, 7, 51.870888, 66.310888, 66.310888, 0.003241, 6, "P4", "PCMRSNQ", "", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "C3 M4", ""},
        {"PEInputBuffer", PETAL_MEM_SRAM, 65536, 8, 8, 16, 16, 1, 0, 0, 7, 242.079552, 241.503552, 241.503552, 0.207488, 2, "Q4", "QCMRSNP", "", ""},
        {"inter_distributed_buffers_spatial", PETAL_MEM_NONE, 0, 1, 1, 16, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "", "M4"},
        {"PEWeightBuffer", PETAL_MEM_SRAM, 32768, 8, 8, 64, 16, 4, 0, 0, 7, 121.36387, 120.78787, 120.78787, 0.104535, 1, "R3 S3 P4", "SPRCMNQ", "", ""},
        {"PEAccuBuffer", PETAL_MEM_SRAM, 128, 24, 1, 64, 16, 4, 0, 0, 7, 3.091057, 2.875058, 2.875058, 0.003416, 4, "M2 P7", "PMCRSNQ", "", ""},
        {"inter_reg_mac_spatial", PETAL_MEM_NONE, 0, 1, 1, 64, 16, 4, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "", ""},
        {"PEWeightRegs", PETAL_MEM_SRAM, 1, 8, 1, 256, 16, 16, 0, 0, 7, 0.259899, 0.080139, 0.080139, 0.000169, 1, "", "CMRSNPQ", "", ""},
    },
    {"mac", 256, 16, 16, 0.315},
    9, {
        {0, 0, 864, 864, 1, 864, 0, 0},
        {0, 1, 151875, 151875, 1, 151875, 0, 0},
        {0, 2, 401408, 401408, 1, 0, 0, 401408},
        {1, 1, 151875, 6075, 1, 170100, 151875, 0},
        {1, 2, 401408, 14336, 1, 802816, 0, 1204224},
        {3, 1, 50625, 513, 12, 225792, 56700, 0},
        {5, 0, 18, 18, 48, 32256, 18, 0},
        {6, 2, 25088, 14, 48, 200704, 50176, 225792},
        {8, 0, 18, 1, 48, 225792, 32256, 0},
    },
    10838016, 225792, 22065.49
};

/* example_designs/example_designs/simple_weight_stationary/ref_outputs/default_problem */
static const fx_case fx_ws = {
    "ws", "example_designs/example_designs/simple_weight_stationary/ref_outputs/default_problem",
    "CMRSNPQ", {3, 32, 3, 3, 1, 112, 112}, {"C|M|R|S", "N|C|R+2P|S+2Q", "N|M|Q|P"},
    7, {
        {"DRAM", PETAL_MEM_DRAM, 0, 16, 4, 1, 1, 1, 0, 0, 7, 512.0, 512.0, 512.0, 0.0, 7, "Q14", "QCMRSNP", "", ""},
        {"shared_glb", PETAL_MEM_SRAM, 65536, 16, 4, 1, 1, 1, 16, 16, 7, 32.377775, 26.156875, 26.156875, 0.005353, 7, "M8 S3 P2", "MPSCRNQ", "", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "", "C3 M4"},
        {"pe_spad", PETAL_MEM_SRAM, 192, 16, 1, 256, 16, 16, 0, 0, 7, 0.680237, 1.582678, 1.582678, 0.001165, 1, "R3 P2 Q2", "PQRCMSN", "", ""},
        {"weight_reg", PETAL_MEM_SRAM, 1, 16, 1, 256, 16, 16, 0, 0, 7, 0.144, 0.0, 0.0, 0.0, 1, "P28 Q4", "QPCMRSN", "", ""},
        {"input_activation_reg", PETAL_MEM_SRAM, 1, 16, 1, 256, 16, 16, 0, 0, 7, 0.144, 0.0, 0.0, 0.0, 2, "", "CMRSNPQ", "", ""},
        {"output_activation_reg", PETAL_MEM_SRAM, 1, 16, 1, 256, 16, 16, 0, 0, 7, 0.144, 0.0, 0.0, 0.0, 4, "", "CMRSNPQ", "", ""},
    },
    {"mac", 256, 16, 16, 0.315},
    10, {
        {0, 0, 864, 864, 1, 864, 0, 0},
        {0, 1, 151875, 151875, 1, 151875, 0, 0},
        {0, 2, 401408, 401408, 1, 0, 0, 401408},
        {1, 0, 864, 864, 1, 24192, 864, 0},
        {1, 1, 151875, 11475, 1, 2709504, 151875, 0},
        {1, 2, 401408, 28672, 1, 3211264, 0, 3612672},
        {3, 0, 72, 3, 12, 2016, 2016, 0},
        {4, 0, 72, 1, 12, 903168, 2016, 0},
        {5, 1, 50625, 1, 12, 903168, 903168, 0},
        {6, 2, 100352, 1, 12, 802816, 802816, 903168},
    },
    10838016, 903168, 13994.23
};

/* example_designs/example_designs/simple_output_stationary/ref_outputs/default_problem */
static const fx_case fx_os = {
    "os", "example_designs/example_designs/simple_output_stationary/ref_outputs/default_problem",
    "CMRSNPQ", {3, 32, 3, 3, 1, 112, 112}, {"C|M|R|S", "N|C|R+2P|S+2Q", "N|M|Q|P"},
    7, {
        {"DRAM", PETAL_MEM_DRAM, 0, 16, 4, 1, 1, 1, 0, 0, 7, 512.0, 512.0, 512.0, 0.0, 7, "M2 P2 Q8", "MQPCRSN", "", ""},
        {"shared_glb", PETAL_MEM_SRAM, 65536, 16, 4, 1, 1, 1, 16, 16, 7, 32.377775, 26.156875, 26.156875, 0.005353, 3, "R3 Q14", "RQCMSNP", "", ""},
        {"inter_PE_spatial", PETAL_MEM_NONE, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, "", "CMRSNPQ", "", "M16"},
        {"pe_spad", PETAL_MEM_SRAM, 192, 16, 1, 256, 16, 16, 0, 0, 7, 0.680237, 1.582678, 1.582678, 0.001165, 4, "C3 S3 P4", "SPCMRNQ", "", ""},
        {"weight_reg", PETAL_MEM_SRAM, 1, 16, 1, 256, 16, 16, 0, 0, 7, 0.144, 0.0, 0.0, 0.0, 1, "P14", "PCMRSNQ", "", ""},
        {"input_activation_reg", PETAL_MEM_SRAM, 1, 16, 1, 256, 16, 16, 0, 0, 7, 0.144, 0.0, 0.0, 0.0, 2, "", "CMRSNPQ", "", ""},
        {"output_activation_reg", PETAL_MEM_SRAM, 1, 16, 1, 256, 16, 16, 0, 0, 7, 0.144, 0.0, 0.0, 0.0, 4, "", "CMRSNPQ", "", ""},
    },
    {"mac", 256, 16, 16, 0.315},
    9, {
        {0, 0, 864, 864, 1, 13824, 0, 0},
        {0, 1, 151875, 151875, 1, 157296, 0, 0},
        {0, 2, 401408, 401408, 1, 0, 0, 401408},
        {1, 0, 864, 432, 1, 774144, 13824, 0},
        {1, 1, 151875, 9831, 1, 677376, 157296, 0},
        {3, 2, 25088, 56, 16, 652288, 0, 677376},
        {4, 0, 54, 1, 16, 677376, 48384, 0},
        {5, 1, 151875, 1, 16, 677376, 677376, 0},
        {6, 2, 25088, 1, 16, 652288, 652288, 677376},
    },
    10838016, 677376, 10929.93
};

static const fx_case *const fx_cases[] = {&fx_ex00, &fx_ex01os, &fx_ex01ws, &fx_ex02nt, &fx_ex02t, &fx_ex03b, &fx_ex03nb, &fx_ex04cp, &fx_ex04kp, &fx_ex05baked, &fx_ex05free, &fx_ex05null, &fx_ex06, &fx_eyeriss, &fx_simba, &fx_ws, &fx_os};
