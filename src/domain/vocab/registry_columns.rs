// The registry CSV's columns, in the order the code reads them. Included by
// src/domain/registry.rs and by the build script tools/registry_build.rs.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const COLUMNS: &[&str] = &[
    "id",
    "name",
    "owner",
    "district",
    "list",
    "category",
    "scale",
    "cluster",
    "cluster_by",
    "stage",
    "procedures_done",
    "site_area_m2",
    "floor_area_m2",
    "facts",
    "source",
];
