"""Word pools of the demo city: units, people's names, document, work-order and key-task wording."""
from __future__ import annotations

# Common surnames with their approximate share of the population (per cent); a few compound ones.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.1), ("李", 7.0), ("张", 6.8), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2), ("赵", 2.0),
    ("吴", 1.9), ("周", 1.8), ("徐", 1.5), ("孙", 1.5), ("马", 1.4), ("朱", 1.3), ("胡", 1.3), ("郭", 1.2),
    ("何", 1.2), ("高", 1.1), ("林", 1.1), ("罗", 1.0), ("郑", 0.9), ("梁", 0.9), ("谢", 0.8), ("宋", 0.8),
    ("唐", 0.7), ("许", 0.7), ("韩", 0.7), ("冯", 0.7), ("邓", 0.7), ("曹", 0.6), ("彭", 0.6), ("曾", 0.6),
    ("肖", 0.6), ("田", 0.6), ("董", 0.5), ("袁", 0.5), ("潘", 0.5), ("于", 0.5), ("蒋", 0.5), ("蔡", 0.5),
    ("余", 0.5), ("杜", 0.4), ("叶", 0.4), ("程", 0.4), ("苏", 0.4), ("魏", 0.4), ("吕", 0.4), ("丁", 0.4),
    ("任", 0.4), ("沈", 0.4), ("姚", 0.3), ("卢", 0.3), ("姜", 0.3), ("崔", 0.3), ("钟", 0.3), ("谭", 0.3),
    ("陆", 0.3), ("汪", 0.3), ("范", 0.3), ("金", 0.3), ("石", 0.3), ("廖", 0.3), ("贾", 0.3), ("夏", 0.3),
    ("韦", 0.2), ("付", 0.2), ("方", 0.2), ("白", 0.2), ("邹", 0.2), ("孟", 0.2), ("熊", 0.2), ("秦", 0.2),
    ("邱", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.2), ("闫", 0.2), ("段", 0.2), ("雷", 0.2), ("侯", 0.2),
    ("龙", 0.2), ("史", 0.2), ("陶", 0.2), ("黎", 0.2), ("贺", 0.2), ("顾", 0.2), ("毛", 0.2), ("郝", 0.2),
    ("龚", 0.2), ("邵", 0.2), ("万", 0.2), ("钱", 0.2), ("严", 0.1), ("覃", 0.1), ("武", 0.1), ("戴", 0.1),
    ("莫", 0.1), ("孔", 0.1), ("向", 0.1), ("汤", 0.1), ("欧阳", 0.03), ("上官", 0.01), ("司马", 0.01),
)

GIVEN_MALE = tuple("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国峰亮成志文海东博晨昊然轩哲睿晓新立家振永德清思远正子天一泽铭")
GIVEN_FEMALE = tuple("芳娜敏静丽艳娟霞秀玲燕萍红梅琳雪婷颖慧倩晶莉佳欣悦洁琴云蕾薇琦瑶璐妍雯怡楠丹露月彤梦诗雨思晓嘉子一")

# The demo city (size "city"): code, name, English name, parent code, function.
# Functions route work: "office" units register documents, the others receive work orders and tasks
# of their field; "street" covers subdistricts and townships.
CITY_UNITS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("C", "江州市人民政府", "Jiangzhou Municipal People's Government", None, "gov"),
    ("B01", "市人民政府办公室", "General Office of the Municipal Government", "C", "gov"),
    ("B0101", "秘书科", "Secretariat Section", "B01", "office"),
    ("B0102", "督查科", "Supervision Section", "B01", "gov"),
    ("B02", "市发展和改革委员会", "Development and Reform Commission", "C", "ndrc"),
    ("B0202", "重点项目科", "Key Projects Section", "B02", "ndrc"),
    ("B03", "市教育局", "Education Bureau", "C", "edu"),
    ("B0302", "基础教育科", "Basic Education Section", "B03", "edu"),
    ("B04", "市公安局", "Public Security Bureau", "C", "police"),
    ("B0401", "治安管理支队", "Public Order Detachment", "B04", "police"),
    ("B0402", "交通警察支队", "Traffic Police Detachment", "B04", "police"),
    ("B05", "市人力资源和社会保障局", "Human Resources and Social Security Bureau", "C", "hrss"),
    ("B0502", "社会保险科", "Social Insurance Section", "B05", "hrss"),
    ("B06", "市自然资源和规划局", "Natural Resources and Planning Bureau", "C", "nature"),
    ("B0601", "不动产登记中心", "Real Estate Registration Centre", "B06", "nature"),
    ("B07", "市生态环境局", "Ecology and Environment Bureau", "C", "env"),
    ("B0701", "环境执法支队", "Environmental Enforcement Detachment", "B07", "env"),
    ("B08", "市住房和城乡建设局", "Housing and Urban-Rural Development Bureau", "C", "housing"),
    ("B0801", "办公室", "General Office", "B08", "office"),
    ("B0802", "物业管理科", "Property Management Section", "B08", "housing"),
    ("B09", "市交通运输局", "Transport Bureau", "C", "transport"),
    ("B0901", "公交客运科", "Public Transit Section", "B09", "transport"),
    ("B10", "市卫生健康委员会", "Health Commission", "C", "health"),
    ("B1001", "医政医管科", "Medical Administration Section", "B10", "health"),
    ("B11", "市市场监督管理局", "Market Regulation Bureau", "C", "market"),
    ("B1102", "食品安全监管科", "Food Safety Section", "B11", "market"),
    ("B12", "市城市管理局", "Urban Management Bureau", "C", "urban"),
    ("B1201", "市容环卫科", "City Appearance and Sanitation Section", "B12", "urban"),
    ("B1202", "城管执法支队", "Urban Management Enforcement Detachment", "B12", "urban"),
    ("B13", "市政务服务和数据管理局", "Government Services and Data Administration", "C", "data"),
    ("B1301", "12345政务服务便民热线中心", "12345 Government Service Hotline Centre", "B13", "hotline"),
    ("Q01", "清河区人民政府", "Qinghe District People's Government", "C", "district"),
    ("Q0101", "区政府办公室", "District Government Office", "Q01", "office"),
    ("Q0102", "清河街道办事处", "Qinghe Subdistrict Office", "Q01", "street"),
    ("Q0103", "东关街道办事处", "Dongguan Subdistrict Office", "Q01", "street"),
    ("Q02", "东湖区人民政府", "Donghu District People's Government", "C", "district"),
    ("Q0201", "区政府办公室", "District Government Office", "Q02", "office"),
    ("Q0202", "湖滨街道办事处", "Hubin Subdistrict Office", "Q02", "street"),
    ("Q0203", "新城街道办事处", "Xincheng Subdistrict Office", "Q02", "street"),
    ("Q03", "青山县人民政府", "Qingshan County People's Government", "C", "district"),
    ("Q0301", "县政府办公室", "County Government Office", "Q03", "office"),
    ("Q0302", "青山镇人民政府", "Qingshan Town People's Government", "Q03", "street"),
    ("Q0303", "白石乡人民政府", "Baishi Township People's Government", "Q03", "street"),
)

# Provincial departments: name, English name, function.
PROVINCE_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("省人民政府办公厅", "General Office of the Provincial Government", "gov"),
    ("省发展和改革委员会", "Provincial Development and Reform Commission", "ndrc"),
    ("省教育厅", "Department of Education", "edu"),
    ("省科学技术厅", "Department of Science and Technology", "gov"),
    ("省工业和信息化厅", "Department of Industry and Information Technology", "ndrc"),
    ("省公安厅", "Department of Public Security", "police"),
    ("省民政厅", "Department of Civil Affairs", "civil"),
    ("省司法厅", "Department of Justice", "gov"),
    ("省财政厅", "Department of Finance", "finance"),
    ("省人力资源和社会保障厅", "Department of Human Resources and Social Security", "hrss"),
    ("省自然资源厅", "Department of Natural Resources", "nature"),
    ("省生态环境厅", "Department of Ecology and Environment", "env"),
    ("省住房和城乡建设厅", "Department of Housing and Urban-Rural Development", "housing"),
    ("省交通运输厅", "Department of Transport", "transport"),
    ("省水利厅", "Department of Water Resources", "water"),
    ("省农业农村厅", "Department of Agriculture and Rural Affairs", "agri"),
    ("省商务厅", "Department of Commerce", "commerce"),
    ("省文化和旅游厅", "Department of Culture and Tourism", "culture"),
    ("省卫生健康委员会", "Provincial Health Commission", "health"),
    ("省退役军人事务厅", "Department of Veterans Affairs", "civil"),
    ("省应急管理厅", "Department of Emergency Management", "emergency"),
    ("省审计厅", "Audit Office", "gov"),
    ("省市场监督管理局", "Administration for Market Regulation", "market"),
    ("省广播电视局", "Radio and Television Administration", "culture"),
    ("省体育局", "Sports Bureau", "culture"),
    ("省统计局", "Statistics Bureau", "gov"),
    ("省医疗保障局", "Healthcare Security Administration", "hrss"),
    ("省林业局", "Forestry Bureau", "nature"),
    ("省粮食和物资储备局", "Grain and Material Reserves Bureau", "agri"),
    ("省能源局", "Energy Administration", "ndrc"),
    ("省地方金融管理局", "Local Financial Regulatory Bureau", "finance"),
    ("省政务服务和数据管理局", "Government Services and Data Administration", "data"),
    ("省机关事务管理局", "Government Offices Administration", "gov"),
    ("省信访局", "Letters and Visits Bureau", "gov"),
    ("省乡村振兴局", "Rural Revitalisation Bureau", "agri"),
    ("省药品监督管理局", "Medical Products Administration", "market"),
    ("省知识产权局", "Intellectual Property Office", "market"),
    ("省人民防空办公室", "Civil Air Defence Office", "emergency"),
    ("省国有资产监督管理委员会", "State-owned Assets Supervision and Administration Commission", "finance"),
    ("省外事办公室", "Foreign Affairs Office", "gov"),
)

# Bureaus of each prefecture-level city in the province: name, English name, function.
CITY_BUREAUS: tuple[tuple[str, str, str], ...] = (
    ("市人民政府办公室", "General Office of the Municipal Government", "gov"),
    ("市发展和改革委员会", "Development and Reform Commission", "ndrc"),
    ("市教育局", "Education Bureau", "edu"),
    ("市科学技术局", "Science and Technology Bureau", "gov"),
    ("市工业和信息化局", "Industry and Information Technology Bureau", "ndrc"),
    ("市公安局", "Public Security Bureau", "police"),
    ("市民政局", "Civil Affairs Bureau", "civil"),
    ("市司法局", "Justice Bureau", "gov"),
    ("市财政局", "Finance Bureau", "finance"),
    ("市人力资源和社会保障局", "Human Resources and Social Security Bureau", "hrss"),
    ("市自然资源和规划局", "Natural Resources and Planning Bureau", "nature"),
    ("市生态环境局", "Ecology and Environment Bureau", "env"),
    ("市住房和城乡建设局", "Housing and Urban-Rural Development Bureau", "housing"),
    ("市交通运输局", "Transport Bureau", "transport"),
    ("市水利局", "Water Resources Bureau", "water"),
    ("市农业农村局", "Agriculture and Rural Affairs Bureau", "agri"),
    ("市商务局", "Commerce Bureau", "commerce"),
    ("市文化广电旅游局", "Culture, Radio, Television and Tourism Bureau", "culture"),
    ("市卫生健康委员会", "Health Commission", "health"),
    ("市退役军人事务局", "Veterans Affairs Bureau", "civil"),
    ("市应急管理局", "Emergency Management Bureau", "emergency"),
    ("市审计局", "Audit Bureau", "gov"),
    ("市市场监督管理局", "Market Regulation Bureau", "market"),
    ("市城市管理局", "Urban Management Bureau", "urban"),
    ("市医疗保障局", "Healthcare Security Bureau", "hrss"),
    ("市统计局", "Statistics Bureau", "gov"),
    ("市政务服务和数据管理局", "Government Services and Data Administration", "data"),
    ("市信访局", "Letters and Visits Bureau", "gov"),
    ("市国有资产监督管理委员会", "State-owned Assets Supervision and Administration Commission", "finance"),
    ("市体育局", "Sports Bureau", "culture"),
)

# Divisions of a department (处) or bureau (科): the office first; enforcement fields get a detachment.
DIVISIONS: tuple[tuple[str, str], ...] = (
    ("政策法规", "Policy and Regulations"), ("综合", "General Affairs"), ("规划财务", "Planning and Finance"),
    ("行政审批", "Administrative Approval"), ("监督检查", "Supervision and Inspection"),
    ("人事", "Personnel"), ("信息中心", "Information Centre"), ("安全监管", "Safety Supervision"),
)
ENFORCEMENT_FUNCS = frozenset({"police", "env", "market", "urban", "emergency"})

PREFECTURES: tuple[tuple[str, str], ...] = (
    ("江州", "Jiangzhou"), ("临川", "Linchuan"), ("云阳", "Yunyang"), ("青州", "Qingzhou"),
    ("宁远", "Ningyuan"), ("安平", "Anping"), ("东阳", "Dongyang"), ("南屏", "Nanping"),
    ("北川", "Beichuan"), ("清源", "Qingyuan"), ("丰泽", "Fengze"), ("永宁", "Yongning"),
    ("桐城", "Tongcheng"), ("白河", "Baihe"), ("长乐", "Changle"), ("凤鸣", "Fengming"),
)
PLACE_FIRST = tuple("东西南北中新清青长平安永宁和兴华丰嘉龙凤金玉白石桃柳梅松双三五")
PLACE_SECOND = tuple("湖山城江河阳林川源泉桥塘湾坪溪岭港口庄店集坝")

# Documents: category, share, working days allowed for the handling step (承办), title pattern.
DOC_CATEGORIES: tuple[tuple[str, float, int, str], ...] = (
    ("通知", 0.25, 3, "关于{}的通知"),
    ("请示", 0.18, 7, "关于{}有关事项的请示"),
    ("报告", 0.17, 10, "关于{}工作情况的报告"),
    ("函", 0.20, 7, "关于商请支持{}的函"),
    ("意见", 0.08, 12, "关于{}的实施意见"),
    ("会议纪要", 0.12, 3, "{}专题会议纪要"),
)
EMERGENCY_DOC = ("紧急", "【特急】关于{}的紧急通知")
DOC_TOPICS = (
    "安全生产大检查", "汛期安全防范", "城市更新行动", "优化营商环境", "老旧小区改造", "秋冬季大气污染防治",
    "高校毕业生就业创业", "农村人居环境整治", "数字政府建设", "重点项目建设", "燃气安全专项整治",
    "义务教育招生入学", "食品安全监督抽检", "社会保险扩面征缴", "全国文明城市创建", "森林防灭火", "耕地保护",
    "物业服务质量提升", "12345热线工单办理质效提升", "政务服务“一网通办”", "稳就业保民生", "招商引资项目落地",
    "河湖长制", "城市内涝治理", "根治欠薪", "消防安全隐患排查整治", "营商环境评价反馈问题整改",
    "民生实事项目推进", "预算执行", "审计发现问题整改", "信访积案化解", "防范电信网络诈骗", "校园周边环境整治",
    "交通安全综合治理", "节能降碳", "养老服务体系建设", "医保基金监管", "市场主体培育", "统计数据质量",
    "国有资产管理",
)
URGENT_TOPICS = ("防御台风", "强降雨防范应对", "突发环境事件处置", "重大节日期间安全保障", "冰冻雨雪天气应对",
                 "森林火灾扑救", "危化品运输安全")

# Work orders: class, share, working days allowed, title pattern ({place} and {topic}).
REQUEST_CLASSES: tuple[tuple[str, float, int, str], ...] = (
    ("咨询", 0.35, 3, "咨询{topic}"),
    ("求助", 0.22, 5, "{place}{topic}"),
    ("投诉", 0.25, 13, "{place}{topic}"),
    ("举报", 0.05, 13, "举报{place}{topic}"),
    ("建议", 0.11, 5, "建议{topic}"),
    ("紧急", 0.02, 0, "{place}{topic}"),
)
REQUEST_TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "咨询": (("社保卡补办流程", "hrss"), ("灵活就业人员社保缴费", "hrss"), ("失业保险金申领条件", "hrss"),
           ("住房公积金提取条件", "housing"), ("不动产证办理进度", "nature"), ("新生儿落户所需材料", "police"),
           ("居住证办理流程", "police"), ("义务教育入学报名时间", "edu"), ("医保异地就医备案", "health"),
           ("营业执照办理流程", "market"), ("公交线路调整情况", "transport"), ("老旧小区改造政策", "housing"),
           ("残疾人补贴申领", "street"), ("高龄津贴发放时间", "street"), ("个体工商户年报", "market")),
    "求助": (("停水停电", "street"), ("路灯不亮", "urban"), ("窨井盖破损", "urban"), ("老人走失", "police"),
           ("下水道堵塞", "urban"), ("楼道堆放杂物", "street"), ("困难家庭临时救助", "street"),
           ("电梯故障困人", "market"), ("树木倾斜存在隐患", "urban"), ("农民工工资拖欠", "hrss")),
    "投诉": (("夜间施工噪音扰民", "env"), ("餐饮油烟扰民", "env"), ("物业服务不到位", "housing"),
           ("小区违规收费", "housing"), ("商家虚假宣传", "market"), ("出租车拒载", "transport"),
           ("公交车到站不停", "transport"), ("占道经营", "urban"), ("垃圾清运不及时", "urban"),
           ("医院就诊排队时间长", "health"), ("学校违规收费", "edu"), ("广场舞噪音扰民", "street"),
           ("快递包裹乱堆放", "street"), ("工地扬尘污染", "env"), ("拖欠工资", "hrss")),
    "举报": (("违章搭建", "urban"), ("销售过期食品", "market"), ("无证行医", "health"), ("非法排污", "env"),
           ("违规校外培训", "edu"), ("黑车非法营运", "transport"), ("群租房安全隐患", "street"),
           ("私拉电线充电", "street")),
    "建议": (("增设公交线路", "transport"), ("在学校路口增设红绿灯", "police"), ("小区增设充电桩", "housing"),
           ("增加公共厕所", "urban"), ("完善社区养老服务", "street"), ("增设便民停车位", "urban"),
           ("优化政务服务办事流程", "data")),
    "紧急": (("井盖缺失存在安全隐患", "urban"), ("燃气泄漏", "street"), ("树木倒伏阻塞道路", "urban"),
           ("道路塌陷", "urban"), ("暴雨积水严重", "urban"), ("供水管道爆裂", "housing"), ("高空坠物隐患", "street")),
}
ROADS = ("人民路", "解放路", "中山路", "建设路", "滨江路", "青年路", "文化路", "和平路", "新华路", "朝阳路",
         "胜利路", "光明路", "长江路", "黄河路", "学府路", "工业路", "东风路", "迎宾大道", "环城北路", "站前路")
COMMUNITIES = ("阳光花园", "锦绣华庭", "翠湖苑", "幸福里小区", "金色家园", "御景湾", "滨江一号", "和谐家园",
               "桂花园", "书香门第", "新城花园", "海棠湾", "紫荆苑", "龙湖天街", "农贸市场", "公交站附近")

# Key tasks: category, unit functions that own them, task items, milestone sequence.
TASK_CATEGORIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("重大项目", ("ndrc", "housing", "transport"),
     ("污水处理厂扩建工程", "综合管廊建设工程", "快速路改造工程", "人民医院新院区建设", "体育中心建设",
      "智慧城市运营中心建设", "标准厂房建设", "滨江生态廊道建设", "城北片区棚户区改造", "轨道交通站点配套工程"),
     ("项目立项", "可研批复", "初步设计批复", "施工招标", "开工建设", "主体完工", "竣工验收", "投入使用"), True),
    ("民生实事", ("housing", "street", "civil", "edu", "health"),
     ("新建公办幼儿园", "老旧小区改造", "背街小巷整治", "社区养老服务中心建设", "农贸市场提档升级",
      "新增公共停车泊位", "城乡供水一体化", "公共厕所新建改造"),
     ("制定实施方案", "选址及方案论证", "资金落实", "启动实施", "完成过半", "全面完成", "验收评估"), True),
    ("改革攻坚", ("gov", "data", "finance", "hrss"),
     ("“一件事一次办”改革", "工程建设项目审批制度改革", "国资国企改革", "医保支付方式改革", "“放管服”改革",
      "综合行政执法改革", "预算管理制度改革"),
     ("调研摸底", "起草方案", "征求意见", "审议印发", "试点推进", "全面推开", "总结评估"), False),
    ("营商环境", ("data", "market", "ndrc"),
     ("企业开办“一日办结”", "项目审批提速", "涉企收费清理", "政务服务“好差评”", "信用监管体系建设"),
     ("问题梳理", "制定清单", "流程再造", "系统上线", "运行评估"), False),
    ("生态环保", ("env", "urban", "water"),
     ("黑臭水体整治", "工地扬尘治理", "垃圾分类示范片区建设", "餐饮油烟整治", "河道清淤疏浚"),
     ("排查建档", "制定整治方案", "整治实施", "阶段验收", "长效管护"), True),
    ("招商引资", ("commerce", "ndrc", "district"),
     ("新能源汽车零部件项目", "电子信息产业园项目", "冷链物流基地项目", "文旅综合体项目"),
     ("项目洽谈", "签约落地", "供地保障", "开工建设", "投产达效"), True),
)
