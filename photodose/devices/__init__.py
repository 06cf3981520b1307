"""Light sources and the irradiance they put on a plane: device model, emitters, catalog, calibration.

Public modules: :mod:`.model` (Device, Channel), :mod:`.catalog` (load_device, list_devices, add_user_device),
:mod:`.irradiance` (irradiance_map, irradiance_summary, on_axis_irradiance_mw_cm2), :mod:`.calibration` (calibrate).
"""
