// A stand-in for NVIDIA's libnvidia-ml.so, built by the tests: there is no GPU (and no NVIDIA
// driver) on the machines that run them. It exports the NVML entry points the host agent uses,
// with NVML's C signatures, and answers from a state file the test writes (atomically) and
// changes while the agent runs: $GREENPULSE_FAKE_NVML_STATE, one line per device:
//
//     <energy mJ or -> <power mW or -> [<NVML error code returned by every call, 0: none>]
//
// "-" makes that call return NVML_ERROR_NOT_SUPPORTED (a GPU older than Volta has no energy
// counter). A driver reload is the test writing a smaller energy. No state file: the driver is
// not loaded. Every nvmlInit_v2 is counted in <state file>.inits.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kSuccess = 0;
constexpr int kUninitialized = 1;
constexpr int kInvalidArgument = 2;
constexpr int kNotSupported = 3;
constexpr int kDriverNotLoaded = 9;

struct Device
{
    long long energyMj = -1; // -1: not supported
    long long powerMw = -1;
    int error = 0;
};

int g_initialised = 0;
int g_handles[64]; // the handle of device i is &g_handles[i]

const char *statePath()
{
    return std::getenv("GREENPULSE_FAKE_NVML_STATE");
}

bool readState(std::vector<Device> *devices)
{
    const char *path = statePath();
    FILE *file = path ? std::fopen(path, "r") : nullptr;
    if (!file) {
        return false;
    }
    char line[256];
    while (std::fgets(line, sizeof line, file) && devices->size() < 64) {
        char energy[64] = {}, power[64] = {};
        int error = 0;
        if (line[0] == '#' || std::sscanf(line, "%63s %63s %d", energy, power, &error) < 2) {
            continue;
        }
        Device d;
        d.energyMj = std::strcmp(energy, "-") == 0 ? -1 : std::atoll(energy);
        d.powerMw = std::strcmp(power, "-") == 0 ? -1 : std::atoll(power);
        d.error = error;
        devices->push_back(d);
    }
    std::fclose(file);
    return true;
}

// The device a handle names, as the state file says now; an NVML error code otherwise.
int lookUp(void *handle, Device *out)
{
    if (!g_initialised) {
        return kUninitialized;
    }
    std::vector<Device> devices;
    if (!readState(&devices)) {
        return kDriverNotLoaded;
    }
    const long index = static_cast<int *>(handle) - g_handles;
    if (index < 0 || index >= static_cast<long>(devices.size())) {
        return kInvalidArgument;
    }
    *out = devices[static_cast<size_t>(index)];
    return out->error;
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) int nvmlInit_v2()
{
    std::vector<Device> devices;
    if (!readState(&devices)) {
        return kDriverNotLoaded;
    }
    const std::string inits = std::string(statePath()) + ".inits";
    if (FILE *file = std::fopen(inits.c_str(), "a")) {
        std::fputs("init\n", file);
        std::fclose(file);
    }
    ++g_initialised;
    return kSuccess;
}

__attribute__((visibility("default"))) int nvmlShutdown()
{
    if (!g_initialised) {
        return kUninitialized;
    }
    --g_initialised;
    return kSuccess;
}

__attribute__((visibility("default"))) const char *nvmlErrorString(int result)
{
    switch (result) {
    case kSuccess:
        return "Success";
    case kUninitialized:
        return "Uninitialized";
    case kInvalidArgument:
        return "Invalid Argument";
    case kNotSupported:
        return "Not Supported";
    case kDriverNotLoaded:
        return "Driver Not Loaded";
    case 15:
        return "GPU is lost";
    default:
        return "Unknown Error";
    }
}

__attribute__((visibility("default"))) int nvmlDeviceGetCount_v2(unsigned *count)
{
    std::vector<Device> devices;
    if (!g_initialised) {
        return kUninitialized;
    }
    if (!readState(&devices)) {
        return kDriverNotLoaded;
    }
    *count = static_cast<unsigned>(devices.size());
    return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetHandleByIndex_v2(unsigned index,
                                                                         void **device)
{
    Device d;
    if (index >= 64) {
        return kInvalidArgument;
    }
    const int rc = lookUp(&g_handles[index], &d);
    if (rc == kSuccess) {
        *device = &g_handles[index];
    }
    return rc;
}

__attribute__((visibility("default"))) int nvmlDeviceGetName(void *device, char *name,
                                                             unsigned length)
{
    Device d;
    const int rc = lookUp(device, &d);
    if (rc == kSuccess) {
        std::snprintf(name, length, "Stand-in GPU %ld", static_cast<int *>(device) - g_handles);
    }
    return rc;
}

__attribute__((visibility("default"))) int nvmlDeviceGetUUID(void *device, char *uuid,
                                                             unsigned length)
{
    Device d;
    const int rc = lookUp(device, &d);
    if (rc == kSuccess) {
        std::snprintf(uuid, length, "GPU-00000000-0000-0000-0000-%012ld",
                      static_cast<int *>(device) - g_handles);
    }
    return rc;
}

__attribute__((visibility("default"))) int nvmlDeviceGetPowerUsage(void *device, unsigned *mW)
{
    Device d;
    const int rc = lookUp(device, &d);
    if (rc != kSuccess) {
        return rc;
    }
    if (d.powerMw < 0) {
        return kNotSupported;
    }
    *mW = static_cast<unsigned>(d.powerMw);
    return kSuccess;
}

__attribute__((visibility("default"))) int
nvmlDeviceGetTotalEnergyConsumption(void *device, unsigned long long *mJ)
{
    Device d;
    const int rc = lookUp(device, &d);
    if (rc != kSuccess) {
        return rc;
    }
    if (d.energyMj < 0) {
        return kNotSupported;
    }
    *mJ = static_cast<unsigned long long>(d.energyMj);
    return kSuccess;
}

} // extern "C"
