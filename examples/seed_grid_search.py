# The workflow minimlp exists to reproduce without scikit-learn: the user's own example,
# unchanged. With minimlp, only the three import lines change (to minimlp's equivalents).
from minimlp.model_selection import GridSearchCV
from minimlp.neural_network import MLPClassifier
from minimlp.datasets import make_classification

# 生成一个二分类数据集
X, y = make_classification(n_samples=1000, n_features=20, n_informative=2, n_redundant=10,
                           random_state=42, shuffle=False)

# 创建一个神经网络模型
model = MLPClassifier(hidden_layer_sizes=(100,), max_iter=1000, alpha=0.0001,
                      solver='sgd', verbose=10, tol=0.0001, random_state=1)

# 定义一个参数空间
param_grid = {'hidden_layer_sizes': [(100,), (100, 100), (100, 100, 100)],
              'alpha': [0.0001, 0.001, 0.01],
              'learning_rate_init': [0.001, 0.01, 0.1]}

# 使用网格搜索进行超参数调参
grid_search = GridSearchCV(estimator=model, param_grid=param_grid, n_jobs=-1, cv=5)
grid_search.fit(X, y)

# 获取最佳参数组合
best_params = grid_search.best_params_
print("最佳参数组合：", best_params)
