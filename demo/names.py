"""Word pools for demo names: people, organisations, facilities, trainings and activities."""

# Common surnames in Gansu, roughly by frequency (the weights are relative).
SURNAMES = (
    ("王", 90),
    ("张", 85),
    ("李", 80),
    ("刘", 60),
    ("陈", 40),
    ("杨", 55),
    ("赵", 35),
    ("马", 45),
    ("周", 20),
    ("吴", 15),
    ("徐", 15),
    ("孙", 18),
    ("朱", 14),
    ("胡", 15),
    ("郭", 18),
    ("何", 12),
    ("高", 16),
    ("罗", 10),
    ("魏", 14),
    ("牛", 10),
    ("韩", 12),
    ("石", 10),
    ("姚", 8),
    ("谢", 8),
    ("范", 8),
    ("宋", 9),
    ("冯", 9),
    ("蔡", 6),
    ("任", 9),
    ("安", 8),
    ("丁", 7),
    ("白", 9),
    ("董", 9),
    ("苏", 8),
    ("何", 6),
    ("雷", 6),
    ("汪", 8),
    ("席", 4),
    ("景", 4),
    ("常", 6),
    ("毛", 6),
    ("贾", 8),
    ("闫", 7),
    ("梁", 8),
    ("包", 4),
    ("鲁", 5),
    ("康", 5),
    ("祁", 4),
    ("尹", 4),
)
SURNAME_WORDS = tuple(s for s, _ in SURNAMES)
SURNAME_WEIGHTS = tuple(w for _, w in SURNAMES)

GIVEN_MALE = "伟强军勇杰涛斌磊超明刚平辉鹏华飞鑫波宁建国志海文斌龙彬峰振军亮晨浩宇博成东林"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲萍红梅莉琳雪慧婷洁瑞兰英凤琴霞颖倩晶蓉佳悦欣怡雯璐"
GIVEN_ANY = "永春晓瑞金玉德世兴福天建学新爱宏志云振佳子海丽彦嘉"

# Registered volunteer organisations of a community (…志愿服务队).
VOLUNTEER_TEAMS = (
    "党员志愿服务队",
    "青年志愿服务队",
    "巾帼志愿服务队",
    "为老服务志愿队",
    "助残志愿服务队",
    "文明劝导志愿队",
    "治安巡逻志愿队",
    "环境保护志愿队",
    "关爱留守儿童志愿队",
    "法律援助志愿队",
    "健康义诊志愿队",
    "文体志愿服务队",
    "邻里守望志愿队",
    "夕阳红志愿服务队",
    "学雷锋志愿服务队",
    "平安志愿者协会",
    "助学帮困志愿队",
    "家政便民志愿队",
    "心理疏导志愿队",
    "消防安全志愿队",
)

# Community social organisations, with the category each belongs to.
SOCIAL_ORGANIZATIONS = (
    ("老年协会", "elderly"),
    ("夕阳红秧歌队", "culture_sports"),
    ("书画协会", "culture_sports"),
    ("舞蹈队", "culture_sports"),
    ("合唱团", "culture_sports"),
    ("太极拳协会", "culture_sports"),
    ("邻里互助会", "mutual_aid"),
    ("人民调解委员会", "mediation"),
    ("读书会", "education"),
    ("爱心协会", "public_welfare"),
    ("红白理事会", "mutual_aid"),
    ("残疾人协会", "public_welfare"),
    ("计生协会", "health"),
    ("家长学校", "education"),
    ("健身协会", "culture_sports"),
    ("慈善超市", "public_welfare"),
    ("老年大学分校", "education"),
    ("楼院自治会", "mutual_aid"),
    ("平安协会", "mediation"),
    ("健康促进会", "health"),
    ("社区戏曲社", "culture_sports"),
    ("社区居家养老服务社", "elderly"),
    ("社区微公益社", "public_welfare"),
    ("民族团结促进会", "other"),
)

SPECIALIZED_NAMES = {
    "day_care": "老年人日间照料中心",
    "health": "社区卫生服务站",
    "culture_sports": "文体活动室",
    "children": "儿童之家",
    "disability": "残疾人康复站",
    "library": "图书阅览室",
    "other": "便民服务点",
}

TRAININGS = (
    ("全省社区工作者示范培训班", "甘肃省民政厅"),
    ("社会工作者职业水平考试辅导班", "市民政局"),
    ("社区服务站一站式服务业务培训", "县区民政局"),
    ("社区信息化与三维数字社区应用培训", "甘肃省民政厅"),
    ("社区居委会换届选举工作培训", "县区民政局"),
    ("居家养老服务管理培训", "市民政局"),
    ("社区志愿服务组织与管理培训", "市民政局"),
)

ACTIVITIES = {
    "social_assistance": ("走访低保家庭", "发放救助物资", "慈善募捐"),
    "disability": ("陪护残疾人康复训练", "助残日帮扶活动"),
    "veterans": ("慰问优抚对象", "八一走访军属"),
    "employment": ("再就业政策宣传", "招聘信息进社区"),
    "elderly": ("空巢老人上门探访", "日间照料中心陪伴", "为老人理发"),
    "culture_sports": ("广场文艺演出", "全民健身活动", "社区春节联欢"),
    "education": ("四点半课堂辅导", "留守儿童课业帮扶"),
    "environment": ("清理楼道小广告", "垃圾分类宣传", "植树护绿"),
    "safety": ("夜间治安巡逻", "消防安全宣传"),
    "health": ("义诊量血压", "健康知识讲座"),
}

RETURN_REASONS = (
    "常住居民人数与上年差异较大，请核实后重新上报。",
    "参与志愿活动的居民人数缺少台账依据，请补充后重新上报。",
    "党员人数与社区党组织统计不一致，请核对。",
)

ROADS = "东西南北中"
