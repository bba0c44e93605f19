"""Demo data for 甘肃省社区服务体系建设管理平台: a realistic, seeded data set for 2010–2015.

``demo.seed.demo_seed()`` builds, on the real hierarchy that ``load_divisions`` loaded, yearly statistics
for every community, service centres, stations and specialized facilities with their funding,
volunteer organisations and a real-name register of about a million volunteers (valid GB 11643
ID numbers), social organisations, community workers, trainings and service records,
calibrated to the baseline and the targets of 甘政办发〔2012〕192号 (see ``calibration``).

The load is a bulk load: rows are written in batches inside one transaction, without
``full_clean()`` per row (the generator keeps every model rule by construction; the tests
check it) and without history rows (django-simple-history records edits made afterwards).
"""
