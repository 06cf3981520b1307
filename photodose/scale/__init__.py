"""Scale-out on Dask: batch-split Monte Carlo runs and atlas sweeps, on a LocalCluster or an existing cluster.

Public API::

    run_mc_distributed(stack, photons, seed, beam, incidence, grid, batches=None, scheduler=None,
                       progress=True) -> MCResult                       (photodose.scale.distributed)
    sweep_points(sites, skin_types, wavelengths_nm, thickness_grid, beams, photons, seed, max_depth_mm)
        -> list[AtlasPoint]                                              (photodose.scale.points)
    sweep_atlas(points, store_dir, scheduler=None, progress=True) -> SweepReport   (photodose.scale.sweep)
    open_atlas(path) -> Atlas; Atlas.query(**filters) -> pyarrow.Table;
    Atlas.fluence_per_irradiance(site, skin_type, wavelength_nm, depth_mm, thickness_mm=None) -> DepthFluence;
    fluence_per_irradiance_or_mc(atlas, ...) -> DepthFluence; OutsideAtlas         (photodose.scale.atlas)
    dask_client(scheduler=None, n_workers=None) (context manager); SchedulerUnreachable  (photodose.scale.cluster)

Dask and pyarrow are imported by these modules; import them from the command functions, not at CLI import time.
"""
