// A shared object in the modules folder that is not a crmhost module: it has no entry point.
extern "C" __attribute__((visibility("default"))) int notACrmhostModule()
{
    return 42;
}
