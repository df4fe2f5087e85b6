<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>ActivationPlot</name>
    <message>
        <source>Choose an activation node (here or on the canvas) to see its f(z) and f′(z), with the pre-activations z of the dataset&apos;s rows as points.</source>
        <translation>Выберите узел активации (здесь или на холсте), чтобы увидеть его f(z) и f′(z); точки — взвешенные суммы z по наблюдениям из набора данных.</translation>
    </message>
    <message>
        <source>This graph has no activation node (ReLU, tanh, sigmoid, …): add one to see its f(z) and f′(z) here, with the pre-activations z of the dataset&apos;s rows as points.</source>
        <translation>В этом графе нет узла активации (ReLU, tanh, сигмоида, …): добавьте его, чтобы увидеть здесь f(z) и f′(z) и точки — взвешенные суммы z по наблюдениям из набора данных.</translation>
    </message>
    <message>
        <source>The activation node shown (selecting one on the canvas chooses it too)</source>
        <translation>Показанный узел активации (его можно выбрать и на холсте)</translation>
    </message>
    <message>
        <source>node</source>
        <translation>узел</translation>
    </message>
    <message>
        <source>The points are the pre-activations z of the dataset&apos;s rows (every unit of every row); f′ ≈ 0 means |f′(z)| &lt; {flat}: such a unit passes almost no gradient back for that row.</source>
        <translation>Точки — взвешенные суммы z по наблюдениям из набора данных (каждый нейрон каждого наблюдения); f′ ≈ 0 значит |f′(z)| &lt; {flat}: такой нейрон почти не пропускает градиент назад для этого наблюдения.</translation>
    </message>
    <message>
        <source>{op} is not an elementwise function of one input</source>
        <translation>{op} — не поэлементная функция одного входа</translation>
    </message>
</context>
<context>
    <name>AnswerEditor</name>
    <message>
        <source>type the answer (3, 1/2, 1 2; 3 4), Enter to check, Ctrl+H for a hint, Esc to close</source>
        <translation>введите ответ (3, 1/2, 1 2; 3 4): Enter — проверить, Ctrl+H — подсказка, Esc — закрыть</translation>
    </message>
</context>
<context>
    <name>BoundaryPlot</name>
    <message>
        <source>The decision boundary appears here for a graph whose dataset input has one or two features: the output over the input plane, the points on top, and each hidden unit&apos;s own map.</source>
        <translation>Здесь появится разделяющая граница, если у входа с набором данных один или два признака: выход сети на плоскости входов, поверх него точки наблюдений и карта каждого скрытого нейрона.</translation>
    </message>
    <message>
        <source>misclassified ({wrong} of {total})</source>
        <translation>неверно классифицированы ({wrong} из {total})</translation>
    </message>
    <message>
        <source>{output} over the plane, white at {level}</source>
        <translation>{output} на плоскости (белым — уровень {level})</translation>
    </message>
    <message>
        <source>class 0</source>
        <translation>класс 0</translation>
    </message>
    <message>
        <source>class 1</source>
        <translation>класс 1</translation>
    </message>
    <message>
        <source>{node} unit {k}</source>
        <translation>{node}: нейрон {k}</translation>
    </message>
</context>
<context>
    <name>CanvasLegend</name>
    <message>
        <source>blue: value (forward)</source>
        <translation>синий: значение (прямой проход)</translation>
    </message>
    <message>
        <source>red: gradient ∂{output}/∂· (backward)</source>
        <translation>красный: градиент ∂{output}/∂· (обратный проход)</translation>
    </message>
</context>
<context>
    <name>CompareBox</name>
    <message>
        <source>Compare two initialisations</source>
        <translation>Сравнить две инициализации</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Сравнить</translation>
    </message>
    <message>
        <source>Train the graph from each initialisation and overlay the two loss curves</source>
        <translation>Обучить граф от каждой из двух инициализаций и наложить их кривые функции потерь</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>и</translation>
    </message>
</context>
<context>
    <name>ConnectDrag</name>
    <message>
        <source>drop on an input port to connect</source>
        <translation>отпустите над входом узла, чтобы соединить</translation>
    </message>
    <message>
        <source>connect {source} → {target}, port {port}</source>
        <translation>соединить {source} → {target}, вход {port}</translation>
    </message>
    <message>
        <source>(replaces {source} → {target}, port {port})</source>
        <translation>(вместо {source} → {target}, вход {port})</translation>
    </message>
    <message>
        <source>not connected: {reason}</source>
        <translation>не соединено: {reason}</translation>
    </message>
    <message>
        <source>connected {source} → {target}, port {port}</source>
        <translation>соединено: {source} → {target}, вход {port}</translation>
    </message>
</context>
<context>
    <name>DatasetEditor</name>
    <message>
        <source>+ row</source>
        <translation>+ наблюдение</translation>
    </message>
    <message>
        <source>Add an observation (a copy of the last)</source>
        <translation>Добавить наблюдение (копию последнего)</translation>
    </message>
    <message>
        <source>− rows</source>
        <translation>− наблюдения</translation>
    </message>
    <message>
        <source>Remove the selected observations</source>
        <translation>Удалить выбранные наблюдения</translation>
    </message>
    <message>
        <source>clear column</source>
        <translation>очистить столбец</translation>
    </message>
    <message>
        <source>Stop feeding the selected column&apos;s input from the dataset</source>
        <translation>Больше не подавать на вход выбранного столбца значения из набора данных</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Импорт CSV…</translation>
    </message>
    <message>
        <source>Replace the dataset with a CSV file (header: input ids, x[0], x[1] …)</source>
        <translation>Заменить набор данных файлом CSV (заголовок: имена входов, x[0], x[1] …)</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Экспорт CSV…</translation>
    </message>
    <message>
        <source>Save the dataset as CSV</source>
        <translation>Сохранить набор данных в CSV</translation>
    </message>
    <message>
        <source> (not fed)</source>
        <translation> (не подаётся)</translation>
    </message>
    <message>
        <source>type here to add an observation</source>
        <translation>введите значение, чтобы добавить наблюдение</translation>
    </message>
    <message>
        <source>a cell cannot be empty (use “clear column” to stop feeding an input)</source>
        <translation>ячейка не может быть пустой (чтобы вход больше не брал значения из набора, нажмите «очистить столбец»)</translation>
    </message>
    <message>
        <source>row {row}, {name}: {error}</source>
        <translation>наблюдение {row}, {name}: {error}</translation>
    </message>
    <message>
        <source>row {row}, {name} = {text}</source>
        <translation>наблюдение {row}: {name} = {text}</translation>
    </message>
    <message>
        <source>row added</source>
        <translation>наблюдение добавлено</translation>
    </message>
    <message numerus="yes">
        <source>removed %n row(s)</source>
        <translation>
            <numerusform>удалено %n наблюдение</numerusform>
            <numerusform>удалено %n наблюдения</numerusform>
            <numerusform>удалено %n наблюдений</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} is no longer fed</source>
        <translation>{name} больше не берёт значения из набора данных</translation>
    </message>
    <message>
        <source>cannot read {path}: {reason}</source>
        <translation>не удалось прочитать {path}: {reason}</translation>
    </message>
    <message>
        <source>imported {path}</source>
        <translation>импортировано: {path}</translation>
    </message>
    <message>
        <source>Import dataset</source>
        <translation>Импорт набора данных</translation>
    </message>
    <message>
        <source>CSV (*.csv);;All files (*)</source>
        <translation>CSV (*.csv);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Export dataset</source>
        <translation>Экспорт набора данных</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Набор данных</translation>
    </message>
</context>
<context>
    <name>DiagnosticPlots</name>
    <message>
        <source>Compute</source>
        <translation>Вычислить</translation>
    </message>
</context>
<context>
    <name>EdgeItem</name>
    <message>
        <source>{source} → {target}, port {port}</source>
        <translation>{source} → {target}, вход {port}</translation>
    </message>
    <message>
        <source>value: {value}</source>
        <translation>значение: {value}</translation>
    </message>
    <message>
        <source>gradient: {gradient}</source>
        <translation>градиент: {gradient}</translation>
    </message>
</context>
<context>
    <name>EditCommand</name>
    <message>
        <source>Add {op}</source>
        <translation>Добавление узла {op}
добавление узла {op}</translation>
    </message>
    <message>
        <source>Delete {node_id}</source>
        <translation>Удаление узла {node_id}
удаление узла {node_id}</translation>
    </message>
    <message>
        <source>Connect {source} → {target}.{port}</source>
        <translation>Соединение {source} → {target}.{port}
соединение {source} → {target}.{port}</translation>
    </message>
    <message>
        <source>Disconnect {source} → {target}.{port}</source>
        <translation>Разрыв связи {source} → {target}.{port}
разрыв связи {source} → {target}.{port}</translation>
    </message>
    <message>
        <source>Set value of {node_id}</source>
        <translation>Изменение значения {node_id}
изменение значения {node_id}</translation>
    </message>
    <message>
        <source>Set {name} of {node_id}</source>
        <translation>Изменение атрибута {name} узла {node_id}
изменение атрибута {name} узла {node_id}</translation>
    </message>
    <message>
        <source>Rename {node_id}</source>
        <translation>Переименование {node_id}
переименование {node_id}</translation>
    </message>
    <message>
        <source>Make {node_id} a {op}</source>
        <translation>Замена операции {node_id} на {op}
замену операции {node_id} на {op}</translation>
    </message>
    <message>
        <source>Set initialiser of {node_id}</source>
        <translation>Изменение инициализации {node_id}
изменение инициализации {node_id}</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Перемещение
перемещение</translation>
    </message>
    <message>
        <source>Edit description</source>
        <translation>Изменение условия упражнения
изменение условия упражнения</translation>
    </message>
    <message>
        <source>Edit dataset</source>
        <translation>Изменение набора данных
изменение набора данных</translation>
    </message>
    <message>
        <source>Edit training</source>
        <translation>Изменение настроек обучения
изменение настроек обучения</translation>
    </message>
    <message>
        <source>Edit quiz</source>
        <translation>Изменение теста
изменение теста</translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>Непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Your graph is still open; saving it is safe. Please report this error.</source>
        <translation>Граф по-прежнему открыт, его можно спокойно сохранить. Пожалуйста, сообщите об этой ошибке.</translation>
    </message>
</context>
<context>
    <name>ExerciseDialog</name>
    <message>
        <source>Make Exercise Variants</source>
        <translation>Варианты упражнения</translation>
    </message>
    <message>
        <source>values</source>
        <translation>значения</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>градиенты</translation>
    </message>
    <message>
        <source>updates</source>
        <translation>обновления</translation>
    </message>
    <message>
        <source>how many variants, each with its own numbers</source>
        <translation>сколько вариантов, у каждого свои числа</translation>
    </message>
    <message>
        <source>the same seed draws the same variants again</source>
        <translation>с тем же зерном получаются те же варианты</translation>
    </message>
    <message>
        <source>0: one forward and backward pass and its update; K: K SGD steps</source>
        <translation>0 — один прямой и обратный проход и обновление параметров; K — K шагов SGD</translation>
    </message>
    <message>
        <source>exact answers have at most this many decimals; others round to it</source>
        <translation>в точных ответах не больше стольких знаков после запятой; остальные округляются до них</translation>
    </message>
    <message>
        <source>HTML pages</source>
        <translation>HTML-страницы</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Вариантов</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>SGD steps</source>
        <translation>Шагов SGD</translation>
    </message>
    <message>
        <source>Decimals</source>
        <translation>Знаков после запятой</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Записать</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Папка</translation>
    </message>
    <message>
        <source>Choose an output folder and at least one format.</source>
        <translation>Выберите папку и хотя бы один формат.</translation>
    </message>
    <message>
        <source>exact answers</source>
        <translation>ответы точные</translation>
    </message>
    <message>
        <source>answers rounded to {decimals} decimals</source>
        <translation>ответы округлены, знаков после запятой: {decimals}</translation>
    </message>
    <message>
        <source>Wrote {count} variants ({how}) to {folder}.</source>
        <translation>Записано вариантов: {count} ({how}), папка: {folder}.</translation>
    </message>
</context>
<context>
    <name>ExercisePanel</name>
    <message>
        <source>This graph has no exercise text. File ▸ Examples opens one with its exercise; Edit writes one for this graph (it is saved in the file).</source>
        <translation>У этого графа нет текста упражнения. Файл ▸ Примеры открывает граф вместе с упражнением; кнопка «Изменить» позволяет написать текст упражнения для этого графа (он сохраняется в файле).</translation>
    </message>
    <message>
        <source>Title on the first line, then the exercise. A blank line starts a new paragraph; lines starting with - are a list.</source>
        <translation>В первой строке — название, дальше — текст упражнения. Пустая строка начинает новый абзац; строки, начинающиеся с «-», — это список.</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Write or change the exercise text (saved in the file, undoable)</source>
        <translation>Написать или изменить текст упражнения (сохраняется в файле, можно отменить)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Editing the exercise text</source>
        <translation>Правка текста упражнения</translation>
    </message>
</context>
<context>
    <name>GenerateDialog</name>
    <message>
        <source>circle</source>
        <translation>круг</translation>
    </message>
    <message>
        <source>xor</source>
        <translation>XOR</translation>
    </message>
    <message>
        <source>gaussians</source>
        <translation>гауссовы облака</translation>
    </message>
    <message>
        <source>spiral</source>
        <translation>спираль</translation>
    </message>
    <message>
        <source>two moons</source>
        <translation>две луны</translation>
    </message>
    <message>
        <source>plane</source>
        <translation>плоскость</translation>
    </message>
    <message>
        <source>multi-gaussian</source>
        <translation>смесь гауссиан</translation>
    </message>
    <message>
        <source>{kind} (regression)</source>
        <translation>{kind} (регрессия)</translation>
    </message>
    <message>
        <source>generate {kind} ({n} points)</source>
        <translation>создание набора «{kind}» (точек: {n})</translation>
    </message>
    <message>
        <source>Generate a data set</source>
        <translation>Сгенерировать набор данных</translation>
    </message>
    <message>
        <source>data set</source>
        <translation>набор данных</translation>
    </message>
    <message>
        <source>points</source>
        <translation>число точек</translation>
    </message>
    <message>
        <source>noise (0–1)</source>
        <translation>шум (0–1)</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>зерно</translation>
    </message>
    <message>
        <source>test share</source>
        <translation>доля тестовой выборки</translation>
    </message>
    <message>
        <source>points into</source>
        <translation>вход для точек</translation>
    </message>
    <message>
        <source>targets into</source>
        <translation>вход для целевых значений</translation>
    </message>
    <message>
        <source>The graph needs an input of two numbers (the points) and one of one number (the target).</source>
        <translation>Графу нужен вход из двух чисел (для точек) и вход из одного числа (для целевого значения).</translation>
    </message>
    <message>
        <source>&amp;Dataset</source>
        <translation>&amp;Данные</translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation>&amp;Сгенерировать…</translation>
    </message>
    <message>
        <source>TensorFlow Playground&apos;s data sets and two moons, with noise, size, seed and a test share</source>
        <translation>Готовые наборы данных (круг, XOR, гауссовы облака, спираль, две луны, регрессия) с шумом, числом точек, зерном и долей тестовой выборки</translation>
    </message>
</context>
<context>
    <name>GradNormPlot</name>
    <message>
        <source>The gradient norm ‖∂L/∂θ‖ of each parameter will appear here, one line per parameter and a point per update, when training starts.</source>
        <translation>Когда начнётся обучение, здесь появится норма градиента ‖∂L/∂θ‖ каждого параметра: по линии на параметр и по точке на шаг.</translation>
    </message>
</context>
<context>
    <name>GradientFlowPlot</name>
    <message>
        <source>The parameter whose values&apos; and gradients&apos; histograms are shown over time</source>
        <translation>Параметр, гистограммы значений и градиентов которого показаны по ходу обучения</translation>
    </message>
    <message>
        <source>The gradient norms of each parameter appear here while training.</source>
        <translation>Во время обучения здесь появятся нормы градиентов каждого параметра.</translation>
    </message>
    <message>
        <source>update</source>
        <translation>шаг</translation>
    </message>
    <message>
        <source>values of {name}</source>
        <translation>значения {name}</translation>
    </message>
    <message>
        <source>gradients of {name}</source>
        <translation>градиенты {name}</translation>
    </message>
    <message>
        <source>snapshot (over the training)</source>
        <translation>ход обучения</translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>not computed</source>
        <translation>не вычислено</translation>
    </message>
    <message>
        <source>hint: {hint}</source>
        <translation>подсказка: {hint}</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n items</source>
        <translation>
            <numerusform>Удаление %n объекта
удаление %n объекта</numerusform>
            <numerusform>Удаление %n объектов
удаление %n объектов</numerusform>
            <numerusform>Удаление %n объектов
удаление %n объектов</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot paste: {error}</source>
        <translation>не удалось вставить: {error}</translation>
    </message>
</context>
<context>
    <name>InitTable</name>
    <message>
        <source>(current value)</source>
        <translation>(текущее значение)</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>нули</translation>
    </message>
    <message>
        <source>ones</source>
        <translation>единицы</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>константа</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>равномерное</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>нормальное</translation>
    </message>
    <message>
        <source>xavier_uniform</source>
        <translation>Xavier (равномерное)</translation>
    </message>
    <message>
        <source>xavier_normal</source>
        <translation>Xavier (нормальное)</translation>
    </message>
    <message>
        <source>he_uniform</source>
        <translation>He (равномерное)</translation>
    </message>
    <message>
        <source>he_normal</source>
        <translation>He (нормальное)</translation>
    </message>
    <message>
        <source>lecun_uniform</source>
        <translation>LeCun (равномерное)</translation>
    </message>
    <message>
        <source>lecun_normal</source>
        <translation>LeCun (нормальное)</translation>
    </message>
    <message>
        <source>Initialisers</source>
        <translation>Инициализация</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>параметр</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>способ</translation>
    </message>
    <message>
        <source>arguments</source>
        <translation>аргументы</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>зерно</translation>
    </message>
    <message>
        <source>Re-initialise</source>
        <translation>Инициализировать заново</translation>
    </message>
    <message>
        <source>Draw every parameter from its initialiser (the same seed gives the same start)</source>
        <translation>Заново задать каждый параметр его способом инициализации (то же зерно — те же начальные значения)</translation>
    </message>
    <message>
        <source>argument {part}: write key=number, e.g. value=0.5</source>
        <translation>аргумент {part}: пишите имя=число, например value=0.5</translation>
    </message>
    <message>
        <source>seed {seed} is not a whole number</source>
        <translation>зерно {seed} — не целое число</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>hidden (quiz: find it on the canvas)</source>
        <translation>скрыто (тест: найдите на холсте)</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>скаляр</translation>
    </message>
    <message>
        <source>vector</source>
        <translation>вектор</translation>
    </message>
    <message>
        <source>matrix</source>
        <translation>матрица</translation>
    </message>
    <message>
        <source>attribute {name} in the file</source>
        <translation>атрибут {name} в файле</translation>
    </message>
    <message>
        <source>Value and gradient (from the last run)</source>
        <translation>Значение и градиент (по последнему расчёту)</translation>
    </message>
    <message numerus="yes">
        <source>%n nodes selected</source>
        <translation>
            <numerusform>Выбран %n узел</numerusform>
            <numerusform>Выбрано %n узла</numerusform>
            <numerusform>Выбрано %n узлов</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a node or an edge.</source>
        <translation>Выберите узел или ребро.</translation>
    </message>
    <message>
        <source>Drag ops from the palette, or press Tab on the canvas to add one.</source>
        <translation>Чтобы добавить операцию, перетащите её из палитры или нажмите Tab на холсте.</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Узел</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Идентификатор</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Подпись</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Операция</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>Формула</translation>
    </message>
    <message>
        <source>unknown op {op}</source>
        <translation>неизвестная операция {op}</translation>
    </message>
    <message>
        <source>Edge {source} → {target}.{port}</source>
        <translation>Ребро {source} → {target}.{port}</translation>
    </message>
    <message>
        <source>Fractions such as 1/2 are accepted.</source>
        <translation>Можно вводить дроби, например 1/2.</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>строк:</translation>
    </message>
    <message>
        <source>cols</source>
        <translation>столбцов:</translation>
    </message>
    <message>
        <source>or type: 3, 1/2, 1 2, 1 2; 3 4, [[1, 2], [3, 4]]</source>
        <translation>или введите: 3, 1/2, 1 2, 1 2; 3 4, [[1, 2], [3, 4]]</translation>
    </message>
    <message>
        <source>The graph does not run yet: {error}</source>
        <translation>Граф пока нельзя вычислить: {error}</translation>
    </message>
    <message>
        <source>not computed</source>
        <translation>не вычислено</translation>
    </message>
    <message>
        <source>(shape {shape})</source>
        <translation>(размерность {shape})</translation>
    </message>
    <message>
        <source>gradient (backward, ∂L/∂{source} through this edge):</source>
        <translation>градиент (обратный проход, ∂L/∂{source} по этому ребру):</translation>
    </message>
    <message>
        <source>value (forward):</source>
        <translation>значение (прямой проход):</translation>
    </message>
    <message>
        <source>gradient ∂{output}/∂{node}:</source>
        <translation>градиент ∂{output}/∂{node}:</translation>
    </message>
    <message>
        <source>value:</source>
        <translation>значение:</translation>
    </message>
    <message>
        <source>problems:</source>
        <translation>ошибки:</translation>
    </message>
    <message>
        <source>via {target}.{port}: {gradient}</source>
        <translation>через {target}.{port}: {gradient}</translation>
    </message>
    <message>
        <source>its parts (one per consumer):</source>
        <translation>слагаемые (по одному от каждого узла, который его использует):</translation>
    </message>
</context>
<context>
    <name>InspectorAttrs</name>
    <message>
        <source>alpha</source>
        <translation>α</translation>
    </message>
    <message>
        <source>axis</source>
        <translation>Ось</translation>
    </message>
    <message>
        <source>reduction</source>
        <translation>Агрегирование</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>Множитель</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>Размерность</translation>
    </message>
    <message>
        <source>keepdims</source>
        <translation>Сохранять ось</translation>
    </message>
</context>
<context>
    <name>InspectorLeafKinds</name>
    <message>
        <source>input</source>
        <translation>вход</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>параметр</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>константа</translation>
    </message>
</context>
<context>
    <name>LandscapePlot</name>
    <message>
        <source>The loss around the current weights (41×41 points)</source>
        <translation>Функция потерь вокруг текущих весов (сетка 41×41)</translation>
    </message>
    <message>
        <source>The loss around the current weights appears here: press Compute.</source>
        <translation>Здесь появится функция потерь вокруг текущих весов: нажмите «Вычислить».</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>training path</source>
        <translation>путь обучения</translation>
    </message>
    <message>
        <source>current weights</source>
        <translation>текущие веса</translation>
    </message>
    <message>
        <source>α (direction 1)</source>
        <translation>α (направление 1)</translation>
    </message>
    <message>
        <source>β (direction 2)</source>
        <translation>β (направление 2)</translation>
    </message>
    <message>
        <source>log₁₀ loss: {low} … {high}</source>
        <translation>log₁₀ функции потерь: {low} … {high}</translation>
    </message>
</context>
<context>
    <name>LiveDiagnostics</name>
    <message>
        <source>Boundary</source>
        <translation>Граница</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>Ландшафт</translation>
    </message>
    <message>
        <source>LR range test</source>
        <translation>Подбор скорости обучения</translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation>Поток градиентов</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>The loss will appear here when training starts (Train ▸ ▶ Start): the loss of each update as a thin line, the mean loss of each epoch as a thick one.</source>
        <translation>Когда начнётся обучение (Обучение ▸ ▶ Пуск), здесь появится функция потерь: тонкой линией — на каждом шаге, толстой — средняя за эпоху.</translation>
    </message>
    <message>
        <source>loss of each update (last {value})</source>
        <translation>функция потерь на каждом шаге (последнее значение {value})</translation>
    </message>
    <message>
        <source>mean loss of each epoch (last {value})</source>
        <translation>средняя функция потерь за эпоху (последнее значение {value})</translation>
    </message>
    <message>
        <source>test loss after each epoch (last {value})</source>
        <translation>функция потерь на тестовой выборке после каждой эпохи (последнее значение {value})</translation>
    </message>
    <message>
        <source>{mean_loss} after update {update} ({value})</source>
        <translation>{mean_loss} после шага {update} ({value})</translation>
    </message>
    <message>
        <source>{run}: loss of each update</source>
        <translation>{run}: функция потерь на каждом шаге</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Backprop Studio graphs (*.json);;All files (*)</source>
        <translation>Графы Backprop Studio (*.json);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Each hidden unit&apos;s activation over the input plane, under its node (blue negative, white 0, orange positive). Only for a graph whose dataset input has two features: other graphs have no plane to show.</source>
        <translation>Активация каждого скрытого нейрона на плоскости входов, под его узлом (синий — отрицательные значения, белый — 0, оранжевый — положительные). Только для графа, у которого вход из набора данных имеет два признака: у других графов нет плоскости, которую можно показать.</translation>
    </message>
    <message>
        <source>The new language takes effect when Backprop Studio is started again.</source>
        <translation>Новый язык будет применён при следующем запуске Backprop Studio.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Запуск</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Настройки</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>Соз&amp;дать</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Открыть…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Недавние файлы</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>&amp;Примеры</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Сохранить &amp;как…</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Вернуть сохранённое</translation>
    </message>
    <message>
        <source>&amp;Export Image…</source>
        <translation>Экспорт &amp;изображения…</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>&amp;Экспорт</translation>
    </message>
    <message>
        <source>&amp;PyTorch…</source>
        <translation>&amp;PyTorch…</translation>
    </message>
    <message>
        <source>&amp;ONNX…</source>
        <translation>&amp;ONNX…</translation>
    </message>
    <message>
        <source>&amp;Import Model…</source>
        <translation>Импорт &amp;модели…</translation>
    </message>
    <message>
        <source>Make Exercise &amp;Variants…</source>
        <translation>Создать варианты &amp;упражнения…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Вы&amp;ход</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Повторить</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Вырезать</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Копировать</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>Вст&amp;авить</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>&amp;Дублировать</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>В&amp;ыделить всё</translation>
    </message>
    <message>
        <source>&amp;Add Op…</source>
        <translation>До&amp;бавить операцию…</translation>
    </message>
    <message>
        <source>Tab on the canvas</source>
        <translation>Tab на холсте</translation>
    </message>
    <message>
        <source>&amp;Quiz</source>
        <translation>&amp;Тест</translation>
    </message>
    <message>
        <source>&amp;Fit to View</source>
        <translation>&amp;Вписать в окно</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Увеличить</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>У&amp;меньшить</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>&amp;Расставить автоматически</translation>
    </message>
    <message>
        <source>&amp;Snap to Grid</source>
        <translation>&amp;Привязка к сетке</translation>
    </message>
    <message>
        <source>Show &amp;Values</source>
        <translation>Показывать &amp;значения</translation>
    </message>
    <message>
        <source>Show &amp;Gradients</source>
        <translation>Показывать &amp;градиенты</translation>
    </message>
    <message>
        <source>&amp;Unit Thumbnails on the Canvas</source>
        <translation>&amp;Карты нейронов на холсте</translation>
    </message>
    <message>
        <source>Significant &amp;Digits…</source>
        <translation>&amp;Число значащих цифр…</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>&amp;Сбросить расположение панелей</translation>
    </message>
    <message>
        <source>&amp;Message Log…</source>
        <translation>&amp;Журнал сообщений…</translation>
    </message>
    <message>
        <source>&amp;Run Forward and Backward</source>
        <translation>&amp;Прямой и обратный проход</translation>
    </message>
    <message>
        <source>Re-run the graph live</source>
        <translation>Снова пересчитывать граф при каждом изменении</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>&amp;Legend and Shortcuts</source>
        <translation>&amp;Условные обозначения и клавиши</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;О программе</translation>
    </message>
    <message>
        <source>File and view</source>
        <translation>Файл и вид</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Запуск</translation>
    </message>
    <message>
        <source>Fit to View</source>
        <comment>toolbar button</comment>
        <translation>Вписать</translation>
    </message>
    <message>
        <source>Auto Layout</source>
        <comment>toolbar button</comment>
        <translation>Расставить</translation>
    </message>
    <message>
        <source>Show Values</source>
        <comment>toolbar button</comment>
        <translation>Значения</translation>
    </message>
    <message>
        <source>Show Gradients</source>
        <comment>toolbar button</comment>
        <translation>Градиенты</translation>
    </message>
    <message>
        <source>Run Forward and Backward</source>
        <comment>toolbar button</comment>
        <translation>Пересчитать</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>Палитра</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Инспектор</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;файл открыт&gt;</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>Упражнение</translation>
    </message>
    <message>
        <source>value (forward)</source>
        <translation>значение (прямой проход)</translation>
    </message>
    <message>
        <source>gradient (backward)</source>
        <translation>градиент (обратный проход)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Без имени</translation>
    </message>
    <message>
        <source>stepping…</source>
        <translation>пошаговый проход…</translation>
    </message>
    <message>
        <source>(not live)</source>
        <translation>(пересчёт приостановлен)</translation>
    </message>
    <message>
        <source>empty graph</source>
        <translation>граф пуст</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <source>The graph has unsaved changes. Save them?</source>
        <translation>В графе есть несохранённые изменения. Сохранить их?</translation>
    </message>
    <message>
        <source>Open graph</source>
        <translation>Открыть граф</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>Не удалось открыть файл</translation>
    </message>
    <message>
        <source>{name} (example)</source>
        <translation>{name} (пример)</translation>
    </message>
    <message>
        <source>opened {path}</source>
        <translation>открыт файл {path}</translation>
    </message>
    <message>
        <source>Save graph</source>
        <translation>Сохранить граф</translation>
    </message>
    <message>
        <source>Cannot save the file</source>
        <translation>Не удалось сохранить файл</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>сохранено в {path}</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Вернуть сохранённое</translation>
    </message>
    <message>
        <source>Discard the changes and reload {name}?</source>
        <translation>Отменить изменения и заново загрузить {name}?</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Очистить список</translation>
    </message>
    <message>
        <source>{stem} — {description}</source>
        <translation>{file} — {description}</translation>
    </message>
    <message>
        <source>(no examples in {folder})</source>
        <translation>(в папке {folder} нет примеров)</translation>
    </message>
    <message>
        <source>Export image</source>
        <translation>Экспорт изображения</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>Изображение PNG (*.png);;Изображение SVG (*.svg)</translation>
    </message>
    <message>
        <source>Cannot export the image</source>
        <translation>Не удалось экспортировать изображение</translation>
    </message>
    <message>
        <source>exported {path}</source>
        <translation>изображение сохранено в {path}</translation>
    </message>
    <message>
        <source>autosave failed: {error}</source>
        <translation>автосохранение не удалось: {error}</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>Не удалось восстановить</translation>
    </message>
    <message>
        <source>an autosaved graph could not be read; it is kept as {names}</source>
        <translation>автоматически сохранённый граф не удалось прочитать; файл оставлен под именем {names}</translation>
    </message>
    <message>
        <source>{error}; the autosave is kept as {kept}</source>
        <translation>{error}; файл автосохранения оставлен под именем {kept}</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>Восстановить несохранённую работу?</translation>
    </message>
    <message>
        <source>Backprop Studio did not close normally. Restore the graph autosaved before that (from {document})?</source>
        <translation>Программа Backprop Studio в прошлый раз закрылась аварийно. Восстановить граф, сохранённый автоматически до сбоя (файл {document})?</translation>
    </message>
    <message>
        <source>Backprop Studio did not close normally. Restore the graph autosaved before that?</source>
        <translation>Программа Backprop Studio в прошлый раз закрылась аварийно. Восстановить граф, сохранённый автоматически до сбоя?</translation>
    </message>
    <message>
        <source>Significant digits</source>
        <translation>Значащие цифры</translation>
    </message>
    <message>
        <source>Digits shown:</source>
        <translation>Сколько значащих цифр показывать:</translation>
    </message>
    <message>
        <source>Legend and shortcuts</source>
        <translation>Условные обозначения и клавиши</translation>
    </message>
    <message>
        <source>Blue numbers: the value flowing forward along an edge.
Red numbers: the gradient ∂L/∂(source) flowing back along it.
A red outline marks a problem; hover it for the reason.

Drag an op from the palette, or press Tab on the canvas to add one.
Drag from an output port (right) to an input port (left) to connect.
Wheel: zoom.  Middle button or Shift+Space+drag: pan.  Ctrl+0: fit.
Ctrl+L: auto layout.  Delete: remove.  Ctrl+D: duplicate.
Ctrl+Z / Ctrl+Shift+Z: undo / redo.  F5: run again.</source>
        <translation>Синие числа — значение, идущее по ребру вперёд.
Красные числа — градиент ∂L/∂(источник), идущий назад.
Красная обводка — ошибка; причина — в подсказке над ней.

Добавить операцию: перетащите из палитры или Tab на холсте.
Соединить узлы: тяните от выхода (справа) ко входу (слева).
Колесо мыши: масштаб.  Ctrl+0: вписать.  Ctrl+L: расставить.
Сдвиг вида: тяните средней кнопкой или с Shift+Space.
Delete: удалить.  Ctrl+D: дублировать.  F5: пересчитать.
Ctrl+Z / Ctrl+Shift+Z: отменить / повторить.</translation>
    </message>
    <message>
        <source>About Backprop Studio</source>
        <translation>О программе Backprop Studio</translation>
    </message>
    <message>
        <source>Backprop Studio: build computation graphs and watch backpropagation.</source>
        <translation>Backprop Studio: стройте графы вычислений и смотрите, как работает алгоритм обратного распространения ошибки.</translation>
    </message>
</context>
<context>
    <name>MessageLog</name>
    <message>
        <source>Message log</source>
        <translation>Журнал сообщений</translation>
    </message>
</context>
<context>
    <name>Minimap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation>Обзор: щёлкните или перетащите, чтобы сдвинуть вид</translation>
    </message>
</context>
<context>
    <name>ModelBridge</name>
    <message>
        <source>shapes do not fit: {problem}</source>
        <translation>размерности не подходят: {problem}</translation>
    </message>
</context>
<context>
    <name>ModelInterop</name>
    <message>
        <source>Export as PyTorch code</source>
        <translation>Экспорт в код PyTorch</translation>
    </message>
    <message>
        <source>Python script</source>
        <translation>Скрипт Python</translation>
    </message>
    <message>
        <source>Export as ONNX model</source>
        <translation>Экспорт в модель ONNX</translation>
    </message>
    <message>
        <source>ONNX model</source>
        <translation>Модель ONNX</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Модели</translation>
    </message>
    <message>
        <source>PyTorch module</source>
        <translation>Модуль PyTorch</translation>
    </message>
    <message>
        <source>Cannot export the graph</source>
        <translation>Не удалось экспортировать граф</translation>
    </message>
    <message>
        <source>exported {path}</source>
        <translation>экспортирован файл {path}</translation>
    </message>
    <message>
        <source>Import a PyTorch module</source>
        <translation>Импорт модуля PyTorch</translation>
    </message>
    <message>
        <source>Class name in the file:</source>
        <translation>Имя класса в файле:</translation>
    </message>
    <message>
        <source>Run this file?</source>
        <translation>Выполнить этот файл?</translation>
    </message>
    <message>
        <source>Importing {file} runs the Python code in it, as running the file would. Only do this with files you trust. Continue?</source>
        <translation>При импорте {file} выполняется код Python из этого файла — так же, как при его запуске. Делайте это только с файлами, которым доверяете. Продолжить?</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>Импорт модели</translation>
    </message>
    <message>
        <source>Cannot import the model</source>
        <translation>Не удалось импортировать модель</translation>
    </message>
    <message>
        <source>{file} (imported)</source>
        <translation>{file} (импорт)</translation>
    </message>
    <message>
        <source>imported {path}</source>
        <translation>импортирован файл {path}</translation>
    </message>
</context>
<context>
    <name>NodeItem</name>
    <message>
        <source>not computed yet: {reason}</source>
        <translation>пока не вычислено: {reason}</translation>
    </message>
    <message>
        <source>value: {value}</source>
        <translation>значение: {value}</translation>
    </message>
    <message>
        <source>gradient: {gradient}</source>
        <translation>градиент: {gradient}</translation>
    </message>
    <message>
        <source>shape {dims}</source>
        <translation>размерность {dims}</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Filter ops…</source>
        <translation>Найти операцию…</translation>
    </message>
</context>
<context>
    <name>PaletteGroups</name>
    <message>
        <source>Inputs &amp; parameters</source>
        <translation>Входы и параметры</translation>
    </message>
    <message>
        <source>Arithmetic</source>
        <translation>Арифметика</translation>
    </message>
    <message>
        <source>Matrix</source>
        <translation>Матрицы</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Функции активации</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>Функции потерь</translation>
    </message>
</context>
<context>
    <name>PaletteTooltip</name>
    <message>
        <source>none (a leaf: its value is set in the inspector)</source>
        <translation>нет (лист графа: значение задаётся в инспекторе)</translation>
    </message>
    <message>
        <source>inputs: {ports}</source>
        <translation>входы: {ports}</translation>
    </message>
</context>
<context>
    <name>PlotPanel</name>
    <message>
        <source>Export the plot as a PNG image</source>
        <translation>Сохранить график как изображение PNG</translation>
    </message>
    <message>
        <source>Export the plotted data as CSV</source>
        <translation>Сохранить данные графика в CSV</translation>
    </message>
    <message>
        <source>Export the plot as PNG</source>
        <translation>Сохранить график в PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Изображение PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>PortItem</name>
    <message>
        <source>output of {node}</source>
        <translation>выход узла {node}</translation>
    </message>
    <message>
        <source>input port {port} of {node}</source>
        <translation>вход {port} узла {node}</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>Папка</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Диск</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Папка:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Тип файлов:</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>Discard</source>
        <translation>Не сохранять</translation>
    </message>
</context>
<context>
    <name>QuickAdd</name>
    <message>
        <source>Add op: type to search, Enter to add</source>
        <translation>Добавить операцию: начните вводить, Enter — добавить</translation>
    </message>
</context>
<context>
    <name>QuizMenu</name>
    <message>
        <source>select a computed node</source>
        <translation>выделите вычисляемый узел</translation>
    </message>
    <message>
        <source>select a parameter</source>
        <translation>выделите параметр</translation>
    </message>
    <message>
        <source>select a node or an edge</source>
        <translation>выделите узел или ребро</translation>
    </message>
    <message>
        <source>Hide the &amp;Value of the Selected Node</source>
        <translation>Скрыть &amp;значение выделенного узла</translation>
    </message>
    <message>
        <source>Hide the &amp;Gradient of the Selected Node or Edge</source>
        <translation>Скрыть &amp;градиент выделенного узла или ребра</translation>
    </message>
    <message>
        <source>Hide the &amp;Update of the Selected Parameter</source>
        <translation>Скрыть &amp;обновление выделенного параметра</translation>
    </message>
    <message>
        <source>&amp;Show the Selected Again</source>
        <translation>&amp;Снова показать выделенное</translation>
    </message>
    <message>
        <source>Hide All Values</source>
        <translation>Скрыть все значения</translation>
    </message>
    <message>
        <source>Hide All Gradients</source>
        <translation>Скрыть все градиенты</translation>
    </message>
    <message>
        <source>Hide All Updates</source>
        <translation>Скрыть все обновления</translation>
    </message>
    <message>
        <source>&amp;Tolerance…</source>
        <translation>&amp;Допуск…</translation>
    </message>
    <message>
        <source>Offer &amp;Hints</source>
        <translation>Предлагать &amp;подсказки</translation>
    </message>
    <message>
        <source>&amp;Remove the Quiz</source>
        <translation>&amp;Удалить тест</translation>
    </message>
    <message>
        <source>S&amp;core</source>
        <translation>&amp;Результат</translation>
    </message>
    <message>
        <source>Save &amp;Answers as CSV…</source>
        <translation>Сохранить о&amp;тветы в CSV…</translation>
    </message>
    <message>
        <source>&amp;Leave Quiz Mode (Show the Numbers)</source>
        <translation>&amp;Выйти из режима теста (показать числа)</translation>
    </message>
    <message>
        <source>{status} · quiz: {score}</source>
        <translation>{status} · тест: {score}</translation>
    </message>
    <message>
        <source>Quiz tolerance</source>
        <translation>Допуск теста</translation>
    </message>
    <message>
        <source>An answer is right within (relative to the number, at least absolute):</source>
        <translation>Допустимая ошибка ответа (относительная; для чисел меньше 1 по модулю — абсолютная):</translation>
    </message>
    <message>
        <source>Save answers</source>
        <translation>Сохранить ответы</translation>
    </message>
    <message>
        <source>Cannot save the answers</source>
        <translation>Не удалось сохранить ответы</translation>
    </message>
    <message>
        <source>answers saved to {path}</source>
        <translation>ответы сохранены в {path}</translation>
    </message>
    <message>
        <source>Leave quiz mode</source>
        <translation>Выйти из режима теста</translation>
    </message>
    <message>
        <source>Show the hidden numbers? The saved answers will record that quiz mode was left.</source>
        <translation>Показать скрытые числа? В сохранённых ответах будет записано, что вы вышли из режима теста.</translation>
    </message>
</context>
<context>
    <name>QuizMode</name>
    <message>
        <source>the file&apos;s quiz is ignored: {error}</source>
        <translation>тест из файла пропущен: {error}</translation>
    </message>
    <message>
        <source>nothing to check: the graph does not run</source>
        <translation>нечего проверять: граф нельзя вычислить</translation>
    </message>
    <message>
        <source>right</source>
        <translation>верно</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>неверно</translation>
    </message>
</context>
<context>
    <name>RangeTestPlot</name>
    <message>
        <source>Train from the current weights with a growing rate (the weights are restored)</source>
        <translation>Обучать от текущих весов с растущей скоростью обучения (веса затем восстанавливаются)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>скорость обучения</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>The learning-rate range test appears here: press Compute.</source>
        <translation>Здесь появится функция потерь при растущей скорости обучения: нажмите «Вычислить».</translation>
    </message>
    <message>
        <source>loss of each update</source>
        <translation>функция потерь на каждом шаге</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>сглаженная</translation>
    </message>
    <message>
        <source>suggested rate {rate}</source>
        <translation>рекомендуемая скорость {rate}</translation>
    </message>
</context>
<context>
    <name>RnnDialog</name>
    <message>
        <source>Build Unrolled &amp;RNN…</source>
        <translation>Построить &amp;развёрнутую RNN…</translation>
    </message>
    <message>
        <source>relu</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>leaky_relu</source>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <source>elu</source>
        <translation>ELU</translation>
    </message>
    <message>
        <source>selu</source>
        <translation>SELU</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>сигмоида</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>softplus</source>
        <translation>Softplus</translation>
    </message>
    <message>
        <source>mish</source>
        <translation>Mish</translation>
    </message>
    <message>
        <source>gelu</source>
        <translation>GELU</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>без активации</translation>
    </message>
    <message>
        <source>mse</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>bce</source>
        <translation>бинарная кросс-энтропия</translation>
    </message>
    <message>
        <source>Build Unrolled RNN</source>
        <translation>Построить развёрнутую RNN</translation>
    </message>
    <message>
        <source>h_t = f(h_{t−1}·W + x_t·V), ŷ_t = g(h_t·U), L = Σ_t loss(ŷ_t, y_t).
W, V and U are one node each, shared by every time step: each weight&apos;s gradient
is the sum of the contributions of all steps (backprop through time).</source>
        <translation>h_t = f(h_{t−1}·W + x_t·V), ŷ_t = g(h_t·U), L = Σ_t ℓ(ŷ_t, y_t), где ℓ — функция потерь.
W, V и U — по одному узлу, общему для всех шагов по времени: градиент каждого веса —
сумма вкладов всех шагов (обратное распространение во времени, BPTT).</translation>
    </message>
    <message>
        <source>T: the number of time steps the network is unrolled over</source>
        <translation>T — число шагов по времени, на которое развёрнута сеть</translation>
    </message>
    <message>
        <source>the size of each input x_t</source>
        <translation>размер каждого входа x_t</translation>
    </message>
    <message>
        <source>the size of the hidden state h_t</source>
        <translation>размер скрытого состояния h_t</translation>
    </message>
    <message>
        <source>the size of each output ŷ_t and target y_t</source>
        <translation>размер каждого выхода ŷ_t и целевого значения y_t</translation>
    </message>
    <message>
        <source>biases b (hidden) and c (output)</source>
        <translation>смещения b (скрытый слой) и c (выход)</translation>
    </message>
    <message>
        <source>all weights start at one constant</source>
        <translation>инициализировать все веса одной константой</translation>
    </message>
    <message>
        <source>the seed of W&apos;s Xavier init; V and U take seed + 1 and + 2</source>
        <translation>зерно инициализации Xavier для W; у V и U — зерно + 1 и + 2</translation>
    </message>
    <message>
        <source>Time steps T</source>
        <translation>Шагов по времени T</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>Размер входа</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Размер скрытого слоя</translation>
    </message>
    <message>
        <source>Output size</source>
        <translation>Размер выхода</translation>
    </message>
    <message>
        <source>Hidden activation f</source>
        <translation>Активация скрытого слоя f</translation>
    </message>
    <message>
        <source>Output activation g</source>
        <translation>Активация выхода g</translation>
    </message>
    <message>
        <source>Loss per step</source>
        <translation>Функция потерь на шаге</translation>
    </message>
    <message>
        <source>Constant weight</source>
        <translation>Значение константы</translation>
    </message>
    <message>
        <source>Xavier seed</source>
        <translation>Зерно Xavier</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Скорость обучения</translation>
    </message>
    <message>
        <source>The &quot;{loss}&quot; loss needs probabilities: choose the output activation &quot;{activation}&quot;.</source>
        <translation>Функции потерь «{loss}» нужны вероятности: выберите активацию выхода «{activation}».</translation>
    </message>
    <message>
        <source>About {nodes} nodes.</source>
        <translation>Узлов: около {nodes}.</translation>
    </message>
    <message>
        <source> A graph this large is slow to draw and to step through; the command line is quicker.</source>
        <translation> Такой большой граф долго рисуется и медленно проходится по шагам; в командной строке быстрее.</translation>
    </message>
    <message>
        <source>Cannot build the RNN</source>
        <translation>Не удалось построить RNN</translation>
    </message>
    <message>
        <source>unrolled RNN, T = {T} (new)</source>
        <translation>развёрнутая RNN, T = {T} (новая)</translation>
    </message>
    <message>
        <source>built an RNN unrolled over {T} steps</source>
        <translation>построена RNN, развёрнутая по времени (T = {T})</translation>
    </message>
    <message>
        <source>Build a recurrent network unrolled over T time steps, weights shared across steps</source>
        <translation>Построить рекуррентную сеть, развёрнутую на T шагов по времени, с общими для всех шагов весами</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <source>▶ Start</source>
        <translation>▶ Пуск</translation>
    </message>
    <message>
        <source>Train (or resume) in the background</source>
        <translation>Обучать в фоне (или продолжить обучение)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Pause; Start resumes, Stop keeps the values</source>
        <translation>Приостановить; «Пуск» продолжит, «Стоп» сохранит значения</translation>
    </message>
    <message>
        <source>+1 update</source>
        <translation>+1 шаг</translation>
    </message>
    <message>
        <source>Do one update</source>
        <translation>Сделать один шаг градиентного спуска</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ Стоп</translation>
    </message>
    <message>
        <source>Stop and write the trained values into the graph</source>
        <translation>Остановить и записать обученные значения в граф</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>пауза</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>готово</translation>
    </message>
    <message>
        <source>converged</source>
        <translation>сошлось</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>остановлено</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>сбой</translation>
    </message>
    <message>
        <source>{last}: the loss of the batch (or observation) that the last update used, computed with the parameters before that update.
{mean}: the loss of every observation with the current parameters, averaged (shown when the run pauses or ends).
The L in the status bar is the loss of the one observation that the canvas shows.</source>
        <translation>{last}: считается на батче (или наблюдении), по которому сделан последний шаг, с параметрами до этого шага.
{mean}: функция потерь на каждом наблюдении с текущими параметрами, усреднённая по набору (показывается на паузе и в конце обучения).
L в строке состояния — функция потерь на том наблюдении, которое показано на холсте.</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>готово к обучению</translation>
    </message>
    <message>
        <source>▶ Resume</source>
        <translation>▶ Продолжить</translation>
    </message>
    <message>
        <source>,</source>
        <comment>thousands separator</comment>
        <translation>&#xa0;</translation>
    </message>
    <message>
        <source>{rate} updates/s</source>
        <translation>{rate} шагов/с</translation>
    </message>
    <message>
        <source>epoch {epoch}/{epochs} · update {update}/{total}</source>
        <translation>эпоха {epoch}/{epochs} · шаг {update}/{total}</translation>
    </message>
    <message>
        <source>{state} · epoch {epoch}/{epochs} · update {update}/{total}</source>
        <translation>{state} · эпоха {epoch}/{epochs} · шаг {update}/{total}</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>learning rate {text} not taken: it must be above 0 (kept {value})</source>
        <translation>скорость обучения {text} не принята: она должна быть больше 0 (оставлено {value})</translation>
    </message>
    <message>
        <source>test share {text} not taken: it must be at least 0 and below 1 (kept {value})</source>
        <translation>доля тестовой выборки {text} не принята: она должна быть не меньше 0 и меньше 1 (оставлено {value})</translation>
    </message>
    <message>
        <source>sgd</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>по одному наблюдению</translation>
    </message>
    <message>
        <source>minibatch</source>
        <translation>мини-батчи</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>весь набор</translation>
    </message>
    <message>
        <source>sequential</source>
        <translation>как в наборе</translation>
    </message>
    <message>
        <source>reverse</source>
        <translation>обратный</translation>
    </message>
    <message>
        <source>shuffle</source>
        <translation>случайный</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>свой</translation>
    </message>
    <message>
        <source>Settings (stored in the file)</source>
        <translation>Настройки (хранятся в файле)</translation>
    </message>
    <message>
        <source>e.g. 2, 1 (observation numbers)</source>
        <translation>номера наблюдений: 2, 1 …</translation>
    </message>
    <message>
        <source>stop below</source>
        <translation>стоп, если меньше</translation>
    </message>
    <message>
        <source>The share of the dataset&apos;s rows held out of training (drawn with the seed); their mean loss after each epoch is the test loss. 0: every row trains.</source>
        <translation>Доля наблюдений набора данных, которые не участвуют в обучении (выбираются по зерну); среднее значение функции потерь на них после каждой эпохи — функция потерь на тестовой выборке. 0 — обучение на всех наблюдениях.</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>оптимизатор</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>скорость обучения η</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>момент</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>режим</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>размер мини-батча</translation>
    </message>
    <message>
        <source>order</source>
        <translation>порядок</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>зерно</translation>
    </message>
    <message>
        <source>test share</source>
        <translation>доля тестовой выборки</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>число эпох</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>settings in the file: {problem}</source>
        <translation>настройки в файле: {problem}</translation>
    </message>
</context>
<context>
    <name>StepPanel</name>
    <message>
        <source>forward pass</source>
        <translation>прямой проход</translation>
    </message>
    <message>
        <source>backward pass</source>
        <translation>обратный проход</translation>
    </message>
    <message>
        <source>done</source>
        <translation>готово</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>LaTeX</source>
        <translation>LaTeX</translation>
    </message>
    <message>
        <source>HTML page</source>
        <translation>HTML-страница</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>Шаг ▶</translation>
    </message>
    <message>
        <source>Compute the next node&apos;s value</source>
        <translation>Вычислить значение следующего узла</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ Назад</translation>
    </message>
    <message>
        <source>Undo the last step</source>
        <translation>Отменить последний шаг</translation>
    </message>
    <message>
        <source>Forward ▶▶</source>
        <translation>Вперёд ▶▶</translation>
    </message>
    <message>
        <source>Run to the end of the forward pass</source>
        <translation>Пройти прямой проход до конца</translation>
    </message>
    <message>
        <source>∂ Step</source>
        <translation>∂ Шаг</translation>
    </message>
    <message>
        <source>Backward one node: the chain rule</source>
        <translation>На один узел назад: цепное правило</translation>
    </message>
    <message>
        <source>∂ Run ◀◀</source>
        <translation>∂ До конца ◀◀</translation>
    </message>
    <message>
        <source>Run the whole backward pass</source>
        <translation>Пройти весь обратный проход</translation>
    </message>
    <message>
        <source>Apply update</source>
        <translation>Обновить параметры</translation>
    </message>
    <message>
        <source>w ← w − η·∂L/∂w for every parameter</source>
        <translation>w ← w − η·∂L/∂w для каждого параметра</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сбросить</translation>
    </message>
    <message>
        <source>Back to the start of stepping</source>
        <translation>Вернуться к началу пошагового прохода</translation>
    </message>
    <message>
        <source>Export worked solution…</source>
        <translation>Экспортировать решение…</translation>
    </message>
    <message>
        <source>Write the whole trace as Markdown with maths or as LaTeX</source>
        <translation>Записать всё решение в Markdown с формулами или в LaTeX</translation>
    </message>
    <message>
        <source>Check my answer (before the next step)</source>
        <translation>Проверить себя (до следующего шага)</translation>
    </message>
    <message>
        <source>e.g. 2  or  1 0  or  1 0; 2 0</source>
        <translation>напр. 2  или  1 0  или  1 0; 2 0</translation>
    </message>
    <message>
        <source>An answer is right when |answer − value| ≤ tolerance · max(1, |value|)</source>
        <translation>Ответ верен, если |ответ − значение| ≤ допуск · max(1, |значение|)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>tolerance</source>
        <translation>допуск</translation>
    </message>
    <message>
        <source>Learning rate for Apply update and the worked solution</source>
        <translation>Скорость обучения для «Обновить параметры» и для решения</translation>
    </message>
    <message>
        <source>SGD steps in the worked solution (0: one forward and backward pass)</source>
        <translation>Шагов SGD в решении (0 — один прямой и один обратный проход)</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>шагов:</translation>
    </message>
    <message>
        <source>Cannot step: {error}</source>
        <translation>Пошаговый проход невозможен: {error}</translation>
    </message>
    <message>
        <source>Numeric problem: {error}</source>
        <translation>Ошибка вычислений: {error}</translation>
    </message>
    <message>
        <source>Apply update (η = {lr})</source>
        <translation>Обновление параметров (η = {lr})
обновление параметров (η = {lr})</translation>
    </message>
    <message>
        <source>The new values are in the document (undo with Ctrl+Z). Step again to see the next pass.</source>
        <translation>Новые значения записаны в граф (отменить — Ctrl+Z). Чтобы увидеть следующий проход, снова идите по шагам.</translation>
    </message>
    <message>
        <source>Symbolically:</source>
        <translation>В общем виде:</translation>
    </message>
    <message>
        <source>Not stepping. Press Step (F10) to compute the first node.</source>
        <translation>Пошаговый проход не начат. Нажмите «Шаг» (F10), чтобы вычислить первый узел.</translation>
    </message>
    <message>
        <source>Step through the graph one node at a time: the forward pass computes each node&apos;s value, the backward pass each edge&apos;s gradient by the chain rule.</source>
        <translation>Пройдите граф по одному узлу за шаг: прямой проход вычисляет значение каждого узла, обратный — градиент по каждому ребру по цепному правилу.</translation>
    </message>
    <message>
        <source>Step {done} of {total} · {phase}</source>
        <translation>Шаг {done} из {total} · {phase}</translation>
    </message>
    <message>
        <source> · next: {node}</source>
        <translation> · далее: {node}</translation>
    </message>
    <message>
        <source>Session: {score}</source>
        <translation>За сеанс: {score}</translation>
    </message>
    <message>
        <source>Export worked solution</source>
        <translation>Экспорт решения</translation>
    </message>
    <message>
        <source>Worked solution: {file}</source>
        <translation>Решение: {file}</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>Записан файл {path}</translation>
    </message>
    <message>
        <source>total over every path</source>
        <translation>сумма по всем путям</translation>
    </message>
    <message>
        <source>Step Through</source>
        <translation>Пошаговый проход</translation>
    </message>
</context>
<context>
    <name>SymmetryView</name>
    <message>
        <source>The symmetry view compares the units of a layer (x·W + b, then an activation, then ·V): each unit&apos;s incoming weights, bias and outgoing weights. This graph has no layer with two units or more.</source>
        <translation>Панель «Симметрия» сравнивает нейроны слоя (x·W + b, затем функция активации, затем ·V): у каждого нейрона его входящие веса, смещение и исходящие веса. В этом графе нет слоя из двух нейронов или больше.</translation>
    </message>
    <message>
        <source>units of {layer} · blue −{m} … red +{m}</source>
        <translation>нейроны {layer} · синий −{m} … красный +{m}</translation>
    </message>
    <message>
        <source>in: {name}</source>
        <translation>вход: {name}</translation>
    </message>
    <message>
        <source>out: {name}</source>
        <translation>выход: {name}</translation>
    </message>
    <message>
        <source>{layer}: units {units} identical</source>
        <translation>{layer}: нейроны {units} одинаковы</translation>
    </message>
    <message>
        <source> (same incoming weights, bias and outgoing weights)</source>
        <translation> (одинаковые входящие веса, смещение и исходящие веса)</translation>
    </message>
    <message>
        <source>no identical units</source>
        <translation>одинаковых нейронов нет</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Train</source>
        <translation>Обучить</translation>
    </message>
    <message>
        <source>Pause training</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>One update</source>
        <translation>Один шаг</translation>
    </message>
    <message>
        <source>Stop training</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <source>Re-initialise parameters</source>
        <translation>Инициализировать параметры заново</translation>
    </message>
    <message>
        <source>parameters re-initialised</source>
        <translation>параметры инициализированы заново</translation>
    </message>
    <message>
        <source>cannot train: {error}</source>
        <translation>обучение невозможно: {error}</translation>
    </message>
    <message>
        <source>the training process ended unexpectedly (exit code {code})</source>
        <translation>процесс обучения неожиданно завершился (код выхода {code})</translation>
    </message>
    <message>
        <source>comparison failed: {message}</source>
        <translation>сравнение не удалось: {message}</translation>
    </message>
    <message>
        <source>training failed: {message}</source>
        <translation>обучение прервано ошибкой: {message}</translation>
    </message>
    <message numerus="yes">
        <source>Train: %n update(s)</source>
        <translation>
            <numerusform>Обучение: %n шаг
обучение (%n шаг)</numerusform>
            <numerusform>Обучение: %n шага
обучение (%n шага)</numerusform>
            <numerusform>Обучение: %n шагов
обучение (%n шагов)</numerusform>
        </translation>
    </message>
    <message>
        <source>comparing {a} and {b}, {epochs} each …</source>
        <translation>сравниваем «{a}» и «{b}» ({epochs} на каждую) …</translation>
    </message>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n эпоха</numerusform>
            <numerusform>%n эпохи</numerusform>
            <numerusform>%n эпох</numerusform>
        </translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>н/д</translation>
    </message>
    <message>
        <source>comparison done · {mean} after training: {finals}</source>
        <translation>сравнение готово · {mean} после обучения: {finals}</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Функция потерь</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Активация</translation>
    </message>
    <message>
        <source>Gradient norms</source>
        <translation>Нормы градиентов</translation>
    </message>
    <message>
        <source>Symmetry</source>
        <translation>Симметрия</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>log scale</source>
        <translation>логарифмическая шкала</translation>
    </message>
    <message>
        <source>update</source>
        <translation>шаг</translation>
    </message>
    <message>
        <source>no pre-activations yet: the dataset&apos;s rows give them (points on the curves)</source>
        <translation>взвешенных сумм пока нет: их дают наблюдения из набора данных (точки на кривых)</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 наблюдение</translation>
    </message>
    <message numerus="yes">
        <source>%n rows</source>
        <translation>
            <numerusform>%n наблюдение</numerusform>
            <numerusform>%n наблюдения</numerusform>
            <numerusform>%n наблюдений</numerusform>
        </translation>
    </message>
    <message>
        <source>1 unit</source>
        <translation>1 нейрон</translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation>
            <numerusform>%n нейрон</numerusform>
            <numerusform>%n нейрона</numerusform>
            <numerusform>%n нейронов</numerusform>
        </translation>
    </message>
    <message>
        <source>{flat} of 1 pre-activation ({shape}) where f′ ≈ 0 (|f′(z)| &lt; {limit})</source>
        <translation>{flat} из 1 взвешенной суммы ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</translation>
    </message>
    <message numerus="yes">
        <source>{flat} of %n pre-activations ({shape}) where f′ ≈ 0 (|f′(z)| &lt; {limit})</source>
        <translation>
            <numerusform>{flat} из %n взвешенной суммы ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</numerusform>
            <numerusform>{flat} из %n взвешенных сумм ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</numerusform>
            <numerusform>{flat} из %n взвешенных сумм ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnitThumbnail</name>
    <message>
        <source>unit {unit} over the input plane (blue negative, white 0, orange positive)</source>
        <translation>нейрон {unit} на плоскости входов (синий — отрицательные, белый — 0, оранжевый — положительные)</translation>
    </message>
</context>
<context>
    <name>UpdateBlank</name>
    <message>
        <source>{name} after update = {blank}</source>
        <translation>{name} после обновления = {blank}</translation>
    </message>
</context>
</TS>
